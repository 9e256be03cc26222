"""Every write in the correspondence app that has a rule: keyword-only, validated, in a transaction.

The package re-exports every service, so `from correspondence import services` keeps working."""

from .groups import (
    group_create,
    group_invite,
    group_leader_set,
    group_set_associations,
    group_update,
    groups_keep_founding_meeting,
    invitation_accept,
)
from .letters import letter_create, letter_delete, letter_set_language, letter_update, normalised_text
from .sending import letter_mark_posted, letter_send, reference_allocate
from .signatures import letter_close_for_signatures, letter_open_for_signatures, letter_sign, letter_withdraw_signature
from .tracking import (
    RESPONSE_STATUS,
    STATUS_ORDER,
    follow_up_prepare,
    follow_up_preview,
    letter_event_add,
    letter_link_action,
    letter_link_dialogue_meeting,
    letter_set_published,
    letter_set_status,
    response_log,
)

__all__ = [
    "letter_event_add",
    "RESPONSE_STATUS",
    "STATUS_ORDER",
    "response_log",
    "letter_set_status",
    "letter_set_published",
    "letter_link_dialogue_meeting",
    "letter_link_action",
    "follow_up_preview",
    "follow_up_prepare",
    "group_create",
    "group_update",
    "group_set_associations",
    "group_invite",
    "invitation_accept",
    "group_leader_set",
    "groups_keep_founding_meeting",
    "letter_create",
    "normalised_text",
    "letter_update",
    "letter_set_language",
    "letter_delete",
    "letter_open_for_signatures",
    "letter_close_for_signatures",
    "letter_sign",
    "letter_withdraw_signature",
    "reference_allocate",
    "letter_send",
    "letter_mark_posted",
]
