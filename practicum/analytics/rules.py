import rules

from practicum.accounts.rules import is_org_member

# An organization's analytics are for its members (owners and mentors), nobody else.
rules.add_perm("analytics.view_organization_analytics", is_org_member)
