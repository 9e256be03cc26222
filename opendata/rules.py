"""Who may do what with open-data API keys (django-rules).

Staff make keys for themselves; a key reaches a municipality's private data (contact persons,
pending associations) only while its owner is staff there, as on the staff pages.
"""

import rules

from organizations.rules import is_municipal_staff, is_staff_of


@rules.predicate
def is_token_owner(user, token):
    return token is not None and user.is_authenticated and token.user_id == user.pk


rules.add_perm("opendata.create_api_token", is_municipal_staff)
rules.add_perm("opendata.revoke_api_token", is_token_owner)
rules.add_perm("opendata.read_private_associations", is_staff_of)
