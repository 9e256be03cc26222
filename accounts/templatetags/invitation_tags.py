from django import template

from accounts.invitations import pending_invitations

register = template.Library()


@register.simple_tag(takes_context=True, name="pending_invitations")
def pending_invitations_tag(context):
    """`{% pending_invitations as invitations %}`: the invitations waiting in this browser."""
    return pending_invitations(context.get("request"))
