"""The inbox: the user's own messages, newest first; mark one or all read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anlan.core.entry import crumbs, done
from anlan.core.paging import page_of

from . import services

PAGE_SIZE = 20


@login_required
def inbox(request):
    only_unread = request.GET.get("unread") == "1"
    context = {
        "page": page_of(request, services.inbox(request.user, unread=only_unread), PAGE_SIZE),
        "only_unread": only_unread,
        "query": "unread=1" if only_unread else "",
        "breadcrumbs": crumbs((_("消息通知"), "")),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def read(request, pk):
    """Mark a message read, then go to what it is about (or back to the inbox)."""
    notification = services.mark_read(actor=request.user, notification_pk=pk)
    target = notification.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(actor=request.user)
    return done(request, reverse("notifications:inbox"), _("已将 %(n)d 条消息标为已读。") % {"n": count})
