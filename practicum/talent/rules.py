"""Who may see and change an organization's talent list: its members (owners and mentors), and
nobody else, who gets a 404 as if the list did not exist. A student adds nobody and reads no
list; they see which organizations listed them on their own page."""

import rules

from practicum.accounts.rules import is_org_member

# The object is the organization: its members read the list and change it alike.
rules.add_perm("talent.use_list", is_org_member)
