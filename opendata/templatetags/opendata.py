from django import template

from dialog_portal.permissions import can
from opendata.structured_data import association_organization, json_ld, meeting_event

register = template.Library()


@register.simple_tag
def meeting_json_ld(meeting):
    """The meeting as a schema.org Event, for a page anyone may see; nothing for a draft."""
    return json_ld(meeting_event(meeting)) if meeting.is_public else ""


@register.simple_tag
def association_json_ld(association):
    """The association as a schema.org Organization, when it is public (verified)."""
    return json_ld(association_organization(association)) if association.is_public else ""


@register.inclusion_tag("opendata/_account_tokens.html", takes_context=True)
def api_tokens_section(context):
    """The staff member's API keys on their account page; nothing for anyone else."""
    user = context["request"].user
    if not can(user, "opendata.create_api_token"):
        return {"show": False}
    return {
        "show": True,
        "tokens": list(user.api_tokens.prefetch_related("municipalities")),
        "csrf_token": context.get("csrf_token"),
    }
