"""Who sees which recommendations: one place, used by views, API and templates alike.

Projects are recommended to students (their own profile against the open projects). Candidates
for a project are suggested to the members of its organization only; others get a 404, as for
anything they may not know exists. Suggestions exist only while the project takes
applications: that is the project's state, not a permission, and the pages say so.
"""

import rules

from practicum.projects.rules import is_project_member


@rules.predicate
def is_student(user) -> bool:
    return user.is_authenticated and user.is_student


rules.add_perm("recommendations.view_recommendations", is_student)
rules.add_perm("recommendations.view_candidates", is_project_member)
