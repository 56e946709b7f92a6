"""Who may do what with applications and engagements: one place, for views, API and templates.

An application is seen by its student and by the members (owners and mentors) of the project's
organization; everybody else gets a 404, as if it did not exist. Of those who see it, the student
answers (withdraw, accept, decline) and the organization selects (shortlist, offer, reject);
trying the other side's move is refused with a 403.

An engagement is seen by its student, its mentor and the owners of the organization; these
people act on it (sign, amend, cancel), the student on one side and the mentor and owners on the
organization's. Everybody else gets a 404: career-center staff too (they see a consenting
student's outcomes in the careers app, never the workspace), and platform admins, who are no
party (their support work goes through the Django admin).
"""

import rules

from practicum.accounts.models import Membership
from practicum.projects.rules import is_project_member


@rules.predicate
def is_student(user) -> bool:
    return user.is_authenticated and user.is_student


@rules.predicate
def is_applicant(user, application) -> bool:
    return user.is_authenticated and application is not None and application.student_id == user.pk


@rules.predicate
def is_selecting_member(user, application) -> bool:
    """A member of the organization that posted the application's project."""
    return application is not None and is_project_member(user, application.project)


@rules.predicate
def is_engagement_student(user, engagement) -> bool:
    return user.is_authenticated and engagement is not None and engagement.student_id == user.pk


@rules.predicate
def is_engagement_mentor(user, engagement) -> bool:
    return user.is_authenticated and engagement is not None and engagement.mentor_id == user.pk


@rules.predicate
def is_engagement_org_owner(user, engagement) -> bool:
    if not user.is_authenticated or engagement is None:
        return False
    return Membership.objects.filter(
        user=user,
        organization_id=engagement.project.organization_id,
        role=Membership.Role.OWNER,
    ).exists()


is_engagement_party = is_engagement_student | is_engagement_mentor | is_engagement_org_owner

# The object is the project.
rules.add_perm("engagements.apply", is_student)
rules.add_perm("engagements.list_applicants", is_project_member)
# The object is the application.
rules.add_perm("engagements.view_application", is_applicant | is_selecting_member)
rules.add_perm("engagements.answer_application", is_applicant)
rules.add_perm("engagements.select_application", is_selecting_member)
# The object is the engagement.
rules.add_perm("engagements.view_engagement", is_engagement_party)
rules.add_perm("engagements.act_on_engagement", is_engagement_party)
rules.add_perm("engagements.assign_mentor", is_engagement_org_owner)
