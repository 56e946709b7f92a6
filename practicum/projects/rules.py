"""Who may see and manage projects: one place, used by views, API and templates alike.

Every member of the organization (owner or mentor) manages its projects. Anyone, logged in or
not, may see a project once it is published; a draft exists only for the organization, so
everybody else gets a 404 for it.
"""

import rules

from practicum.accounts.models import Membership
from practicum.accounts.rules import is_org_member
from practicum.projects.models import Project


@rules.predicate
def is_project_member(user, project) -> bool:
    # By the organization's id, so a project loaded without its organization costs no query.
    if not user.is_authenticated or project is None:
        return False
    return Membership.objects.filter(user=user, organization_id=project.organization_id).exists()


@rules.predicate
def is_published(user, project) -> bool:
    return project is not None and project.status != Project.Status.DRAFT


may_view_project = is_published | is_project_member
may_manage_project = is_project_member

rules.add_perm("projects.view_project", may_view_project)
rules.add_perm("projects.manage_project", may_manage_project)
# The object is the organization: who may post its projects and see all of them, drafts too.
rules.add_perm("projects.add_project", is_org_member)
rules.add_perm("projects.list_organization_projects", is_org_member)
