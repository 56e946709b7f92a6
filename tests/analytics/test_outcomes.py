"""A career center's outcomes: only consenting, verified students count; the figures, charts,
CSV and API agree on a small hand-made set; staff of another institution, students,
organization members and anonymous visitors are refused; each export is in the students' logs."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from practicum.analytics import outcomes
from practicum.careers import services as careers
from practicum.careers.models import AccessLogEntry
from practicum.completion import services as completion
from practicum.engagements import agreements
from practicum.engagements import services as engagements
from practicum.engagements.models import Application, Engagement, Side
from practicum.reviews.models import Endorsement, Review, VerifiedSkill
from practicum.workspace.progress import services as progress
from tests.factories import (
    ApplicationFactory,
    InstitutionStaffFactory,
    MembershipFactory,
    ProjectFactory,
    SkillFactory,
    StudentFactory,
)
from tests.fixtures_engagements import make_offered, sign_both, start_today

PAGE = reverse("analytics:career_outcomes")
CSV = reverse("analytics:career_outcomes_csv")
API = "/api/v1/careers/outcomes"


def chart(name: str) -> str:
    return reverse("analytics:career_outcomes_chart", args=[name])


def share(student, staff, institution, *, year=None, programme=""):
    """The student verified at the institution (approved by its staff) and consenting."""
    profile = student.student_profile
    profile.graduation_year, profile.programme = year, programme
    profile.save()
    careers.approve_enrollment(
        careers.request_enrollment(student, institution=institution), by=staff
    )
    careers.give_consent(student, institution=institution)
    return student


def engage(student, organization, mentor):
    """An active engagement of the student on a new project of the organization, begun today
    (both signed, the work started)."""
    project = ProjectFactory(organization=organization, mentor=mentor)
    offered = make_offered(ApplicationFactory(project=project, student=student))
    return start_today(sign_both(engagements.accept_offer(offered, by=student), student, mentor))


def complete(engagement, mentor):
    completion.complete(engagement, by=mentor, partial=True, reason="Stopped early.")
    engagement.refresh_from_db()
    return engagement


def reviews(engagement, student, mentor, *, of_student, of_organization):
    now = timezone.now()
    made = {}
    for side, author, scores in (
        (Side.STUDENT, student, of_organization),
        (Side.ORGANIZATION, mentor, of_student),
    ):
        made[side] = Review.objects.create(
            engagement=engagement, round="final", side=side, author=author, scores=scores,
            revealed_at=now,
        )  # fmt: skip
    return made


@pytest.fixture
def institution(staff):
    return staff.staff_roles.get().institution


@pytest.fixture
def hand_made(student, other_student, staff, institution, organization, mentor):
    """Two consenting students and two who are not counted:

    - A (2026, Data Science): one completed engagement, 3.5 hours, a revealed review each way
      (the organization rates A 3.5, A rates it 4.5), Python verified; an application answered
      in 10 hours.
    - B (2027, History): one cancelled engagement, one active with 2 hours.
    - C verified but never consented; D consented then withdrew: each an active engagement
      with 10 hours, an application answered in 100 hours.
    """
    a = share(student, staff, institution, year=2026, programme="Data Science")
    b = share(other_student, staff, institution, year=2027, programme="History")
    done = engage(a, organization, mentor)
    progress.post_update(done, by=a, done="Cleaned the data", hours="3.5")
    made = reviews(done, a, mentor, of_student={"a": 3, "b": 4}, of_organization={"a": 4, "b": 5})
    python = SkillFactory(name="Python")
    endorsement = Endorsement.objects.create(review=made[Side.ORGANIZATION], skill=python, level=3)
    VerifiedSkill.objects.create(
        student=a, skill=python, level=3, organization=organization, engagement=done,
        endorsement=endorsement,
    )  # fmt: skip
    complete(done, mentor)
    now = timezone.now()
    Application.objects.filter(pk=done.application_id).update(
        created_at=now - datetime.timedelta(hours=10), answered_at=now
    )
    agreements.cancel(engage(b, organization, mentor), by=b, reason="My exams moved.")
    active = engage(b, organization, mentor)
    progress.post_update(active, by=b, done="Read the brief", hours="2")

    c = StudentFactory()
    careers.approve_enrollment(careers.request_enrollment(c, institution=institution), by=staff)
    d = share(StudentFactory(), staff, institution, year=2026, programme="Data Science")
    careers.withdraw_consent(d, institution=institution)
    for outsider in (c, d):
        engagement = engage(outsider, organization, mentor)
        progress.post_update(engagement, by=outsider, done="Work", hours="10")
        Application.objects.filter(pk=engagement.application_id).update(
            created_at=now - datetime.timedelta(hours=100), answered_at=now
        )
    return {"a": a, "b": b, "c": c, "d": d, "organization": organization}


def test_the_figures_count_only_consenting_students(staff, hand_made):
    figures = outcomes.outcomes(staff, outcomes.Filters())
    assert figures.students_sharing == 2
    assert figures.students_active == 1  # B; C and D are active too but not counted
    assert dict(figures.by_state) == {
        "Waiting for the agreement": 0,
        "Active": 1,
        "Completed": 1,
        "Cancelled": 1,
    }
    assert figures.completion_rate == 50.0
    assert figures.hours_reported == 5.5
    assert figures.skills == [("Python", 1)]
    assert (figures.rating_received, figures.ratings_received) == (3.5, 1)
    assert (figures.rating_given, figures.ratings_given) == (4.5, 1)
    assert figures.answers.answered == 1 and 9.9 <= figures.answers.median_hours <= 10.1
    assert figures.pay == [] and figures.pay_withheld  # 600 EUR of one student: hidden
    rows = list(outcomes.organizations(staff, outcomes.Filters()))
    assert [(r["project__organization__name"], r["engagements"], r["completed"]) for r in rows] == [
        (hand_made["organization"].name, 3, 1)
    ]


def test_the_page_shows_the_figures_charts_and_a_reciprocity_link(client, staff, hand_made):
    client.force_login(staff)
    response = client.get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "50.0 %" in body and "Python" in body
    assert reverse("reciprocity:organization", args=[hand_made["organization"].slug]) in body
    for name in ("states", "skills", "months"):
        assert chart(name) in body
    assert "at least 5 students" in body


@pytest.mark.parametrize("name", ["states", "skills", "months"])
def test_charts_are_svg_with_the_same_permission(client, staff, hand_made, name):
    client.force_login(staff)
    response = client.get(chart(name), {"graduation_year": 2026})
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert "<svg" in response.content.decode()
    assert client.get(chart(name), {"begun_from": "1999-12-31"}).status_code == 422
    client.force_login(StudentFactory())
    assert client.get(chart(name)).status_code == 404


def test_an_unknown_chart_is_a_404(client, staff):
    client.force_login(staff)
    assert client.get(chart("nothing")).status_code == 404


def test_the_dashboard_links_to_the_outcomes(client, staff):
    client.force_login(staff)
    assert PAGE in client.get(reverse("reciprocity:dashboard")).content.decode()


def test_a_withdrawn_consent_takes_the_student_out(staff, hand_made, institution):
    careers.withdraw_consent(hand_made["a"], institution=institution)
    figures = outcomes.outcomes(staff, outcomes.Filters())
    assert figures.students_sharing == 1
    assert figures.completed == 0 and figures.hours_reported == 2
    assert figures.rating_received is None and figures.skills == []


def test_no_consent_nothing_counted(staff, student, institution, organization, mentor):
    careers.approve_enrollment(
        careers.request_enrollment(student, institution=institution), by=staff
    )
    progress.post_update(engage(student, organization, mentor), by=student, done="x", hours=4)
    figures = outcomes.outcomes(staff, outcomes.Filters())
    assert figures.students_sharing == 0 and figures.hours_reported == 0
    assert sum(n for _, n in figures.by_state) == 0
    assert outcomes.student_rows(staff, outcomes.Filters()) == []


def test_the_csv_has_a_row_per_consenting_student_and_logs_each(client, staff, hand_made):
    client.force_login(staff)
    response = client.get(CSV)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == list(outcomes.CSV_HEADER)
    a, b = hand_made["a"], hand_made["b"]
    assert sorted(rows[1:]) == sorted(
        [
            [a.name, "Data Science", "2026", "1", "1", "0", "3.5", "1", "3.5"],
            [b.name, "History", "2027", "2", "0", "1", "2", "0", ""],
        ]
    )
    logged = AccessLogEntry.objects.filter(what=AccessLogEntry.What.OUTCOMES_EXPORT)
    assert sorted(logged.values_list("student_id", flat=True)) == sorted([a.pk, b.pk])
    assert {entry.staff_id for entry in logged} == {staff.pk}
    client.force_login(a)  # the student reads the look in their log
    log = client.get(reverse("careers:mine")).content.decode()
    assert "Included you in an outcomes export" in log


def test_the_csv_neutralises_formulas(client, staff, student, institution):
    student.name = "=HYPERLINK(1)"
    student.save()
    share(student, staff, institution)
    client.force_login(staff)
    body = b"".join(client.get(CSV).streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_filters_by_graduation_year_programme_and_dates(client, staff, hand_made):
    by_year = outcomes.outcomes(staff, outcomes.Filters(graduation_year=2027))
    assert by_year.students_sharing == 1 and by_year.cancelled == 1 and by_year.completed == 0
    by_programme = outcomes.outcomes(staff, outcomes.Filters(programme="data science"))
    assert by_programme.students_sharing == 1 and by_programme.completed == 1
    today = timezone.localdate()
    later = outcomes.outcomes(staff, outcomes.Filters(begun_from=today + datetime.timedelta(1)))
    assert sum(n for _, n in later.by_state) == 0 and later.hours_reported == 0
    within = outcomes.outcomes(staff, outcomes.Filters(begun_from=today, begun_to=today))
    assert sum(n for _, n in within.by_state) == 3
    client.force_login(staff)
    page = client.get(PAGE, {"graduation_year": 2027})
    assert page.status_code == 200 and page.context["figures"].students_sharing == 1
    csv_rows = b"".join(client.get(CSV, {"graduation_year": 2027}).streaming_content).decode()
    assert hand_made["b"].name in csv_rows and hand_made["a"].name not in csv_rows


@pytest.mark.parametrize(
    "query",
    [
        {"begun_from": "1999-12-31"},
        {"begun_to": "2101-01-01"},
        {"begun_from": "not a day"},
        {"begun_from": "2026-05-02", "begun_to": "2026-05-01"},
        {"graduation_year": "twenty"},
    ],
)
def test_bad_filters_are_form_errors(client, staff, query):
    client.force_login(staff)
    page = client.get(PAGE, query)
    assert page.status_code == 422 and "There is a problem" in page.content.decode()
    assert client.get(CSV, query).status_code == 422
    api = client.get(API, query)
    assert api.status_code == 422 and api.json()["code"] == "invalid"
    assert not AccessLogEntry.objects.exists()


def test_the_api_gives_the_same_figures(client, staff, hand_made):
    client.force_login(staff)
    body = client.get(API).json()
    assert body["students_sharing"] == 2 and body["students_active"] == 1
    assert body["completion_rate"] == 50.0 and float(body["hours_reported"]) == 5.5
    assert body["verified_skills"] == [{"label": "Python", "count": 1}]
    assert body["rating_received"] == 3.5 and body["rating_given"] == 4.5
    assert body["pay_earned"] == [] and body["pay_withheld"] is True
    assert body["first_answers"]["answered"] == 1
    assert body["organizations"]["count"] == 1
    slug = hand_made["organization"].slug
    assert body["organizations"]["items"][0]["reciprocity_url"] == reverse(
        "reciprocity:organization", args=[slug]
    )
    assert client.get(API, {"graduation_year": 2026}).json()["students_sharing"] == 1
    past_the_end = client.get(API, {"page": 2}).json()["organizations"]
    assert past_the_end == {"items": [], "count": 1}


def test_pay_is_shown_from_five_students(staff, institution, organization, mentor):
    students = [share(StudentFactory(), staff, institution) for _ in range(5)]
    for one in students[:4]:
        complete(engage(one, organization, mentor), mentor)
    four = outcomes.outcomes(staff, outcomes.Filters())
    assert four.pay == [] and four.pay_withheld
    complete(engage(students[4], organization, mentor), mentor)
    five = outcomes.outcomes(staff, outcomes.Filters())
    assert [(p.currency, p.total, p.students) for p in five.pay] == [("EUR", 3000, 5)]
    assert not five.pay_withheld


def _refused(client, user, query=None):
    if user is not None:
        client.force_login(user)
    for url in (PAGE, CSV, chart("states")):
        response = client.get(url, query or {})
        if user is None:
            assert response.status_code == 302, url  # to the log-in page
        else:
            assert response.status_code == 404, url
    assert client.get(API, query or {}).status_code == (401 if user is None else 404)


def test_staff_of_another_institution_get_404_and_none_of_its_students(
    client, hand_made, institution
):
    other = InstitutionStaffFactory().user
    _refused(client, other, {"institution": institution.pk})
    own = client.get(PAGE)  # their own institution's page: nobody shares with it
    assert own.status_code == 200 and own.context["figures"].students_sharing == 0
    assert hand_made["a"].name not in own.content.decode()
    assert client.get(API).json()["students_sharing"] == 0
    exported = b"".join(client.get(CSV).streaming_content).decode().splitlines()
    assert exported == [",".join(outcomes.CSV_HEADER)]
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("who", ["student", "member", "anonymous", "superuser"])
def test_anybody_else_is_refused(client, hand_made, who):
    if who == "student":
        user = hand_made["a"]  # even about themselves: the page is the career center's
    elif who == "member":
        user = MembershipFactory().user
    elif who == "superuser":
        user = StudentFactory(is_superuser=True, is_staff=True)  # a platform admin is no staff
    else:
        user = None
    _refused(client, user)


def test_the_institution_filter_is_limited_to_ones_own(client, staff, hand_made, institution):
    other = InstitutionStaffFactory()
    InstitutionStaffFactory(user=staff, institution=other.institution)
    client.force_login(staff)
    assert client.get(PAGE, {"institution": institution.pk}).status_code == 200
    foreign = InstitutionStaffFactory().institution
    assert client.get(PAGE, {"institution": foreign.pk}).status_code == 404
    assert client.get(API, {"institution": foreign.pk}).status_code == 404
    assert client.get(PAGE, {"institution": "x"}).status_code == 422
    only = client.get(API, {"institution": other.institution.pk}).json()
    assert only["students_sharing"] == 0


def test_queries_stay_fixed_from_3_to_30_students(
    client, staff, institution, organization, mentor, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            one = share(StudentFactory(), staff, institution, year=2026)
            progress.post_update(engage(one, organization, mentor), by=one, done="x", hours=1)

    client.force_login(staff)
    add(3)
    budgets = {}
    for url in (PAGE, CSV, API, chart("months")):
        with django_assert_max_num_queries(40) as few:
            response = client.get(url)
            if url == CSV:
                b"".join(response.streaming_content)
        budgets[url] = len(few.captured_queries)
    add(27)
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            response = client.get(url)
            if url == CSV:
                b"".join(response.streaming_content)
    assert AccessLogEntry.objects.filter(what="outcomes_export").count() == 3 + 30


def test_months_without_engagements_are_on_the_line(staff, hand_made):
    first = Engagement.objects.filter(student=hand_made["b"], state="cancelled")
    first.update(created_at=timezone.now() - datetime.timedelta(days=62))
    months = outcomes.outcomes(staff, outcomes.Filters()).by_month
    assert len(months) in (3, 4)  # two months back, whatever the day of the month
    assert months[0][1] == 1 and months[1][1] == 0 and months[-1][1] == 2
