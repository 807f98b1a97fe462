"""`{% notification_bell %}`: the header's link to the inbox with the unread count (one COUNT query)."""

from django import template

from anlan.notifications.services import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": unread_count(user) if user is not None else 0}
