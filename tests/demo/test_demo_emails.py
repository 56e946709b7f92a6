from practicum.demo.management.commands.seed_demo import STUDENT_NAMES, demo_email


def test_accented_names_keep_their_base_letters():
    assert demo_email("Chloé Martin") == "chloe.martin@students.example"
    assert demo_email("Elif Yılmaz") == "elif.yilmaz@students.example"
    assert demo_email("Liam O'Brien") == "liam.obrien@students.example"


def test_every_demo_student_has_a_distinct_plain_ascii_address():
    emails = [demo_email(name) for name in STUDENT_NAMES]
    assert len(set(emails)) == len(emails)
    assert all(email.isascii() and ".." not in email for email in emails)
