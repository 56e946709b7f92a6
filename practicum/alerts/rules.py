"""Who may keep saved searches: students, each only their own (anyone else gets a 404 for
them, a platform admin included)."""

import rules


@rules.predicate
def is_student(user) -> bool:
    return user.is_authenticated and user.is_student


@rules.predicate
def owns_search(user, search) -> bool:
    return user.is_authenticated and search is not None and search.student_id == user.pk


rules.add_perm("alerts.save_search", is_student)
rules.add_perm("alerts.manage_search", is_student & owns_search)
