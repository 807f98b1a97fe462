"""CAP 1.2 in and out. Export: a warning's live revision (or its lifting) as an alert, with references to the
messages it updates. Import: a meteorological or other feed file's alerts become DRAFT warnings for the
importer to check, target and issue — never issued by the import itself.

- An Alert or Update becomes a new draft in the region the importer chose (the feed's codes are kept in the
  area text); the same identifier and sender imported again is refused, naming the draft it made when that
  draft is in the importer's scope (only that it was imported elsewhere, when not).
- A Cancel withdraws the draft made from the alert it references (looked up in the importer's scope); a
  warning already issued from it is lifted by people, not by a feed, so such a Cancel is refused with that
  message.
- All alerts of a file or none: a file with one bad alert saves nothing.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from anlan.core.errors import DomainError
from anlan.core.models import Region
from anlan.core.permissions import require_right

from .. import cap, rules
from ..models import Warning
from . import warnings as services

DRAFT = services.DRAFT


class CapImportError:
    DUPLICATE = "cap_duplicate"
    CANCEL_UNKNOWN = "cap_cancel_unknown"
    CANCEL_ISSUED = "cap_cancel_issued"


def sender_id() -> str:
    return settings.ANLAN_CAP_SENDER


def _references(warning: Warning, *, up_to: int) -> list[tuple[str, datetime]]:
    """(identifier, sent) of revisions 1 … up_to, from the warning's history."""
    sent: dict[int, datetime] = {}
    rows = warning.history.filter(revision__gte=1, revision__lte=up_to, issued_at__isnull=False)
    for revision, issued_at in rows.order_by("history_date").values_list("revision", "issued_at"):
        sent.setdefault(revision, issued_at)
    return [(cap.identifier(sender_id(), warning.pk, revision), at) for revision, at in sorted(sent.items())]


def export(warning: Warning) -> bytes:
    """The CAP alert of a warning: a draft as status Draft, an issued one as Alert or (after a level change)
    Update, a lifted one as Cancel of every revision."""
    web = urljoin(settings.ANLAN_PUBLIC_URL, reverse("warnings:warning-detail", args=[warning.pk]))
    cancel = warning.status == rules.LIFTED
    references = _references(warning, up_to=warning.revision if cancel else warning.revision - 1)
    return cap.to_cap(
        warning,
        sender=sender_id(),
        sender_id=sender_id(),
        web=web,
        references=references,
        cancel=cancel,
        status="Draft" if warning.status == rules.DRAFT else "Actual",
    )


def import_file(*, actor, data: bytes, region: Region) -> list[Warning]:
    """Read a CAP file and make its drafts (see the module's docstring); returns the drafts made or
    withdrawn, in the file's order."""
    require_right(actor, DRAFT)
    alerts = cap.parse(data)
    done: list[Warning] = []
    with transaction.atomic():
        for alert in alerts:
            if alert.msg_type == "Cancel":
                done.append(_cancel(actor, alert))
                continue
            _refuse_repeat(actor, alert)
            values = {**alert.values, "region": region, "targets": {}}
            done.append(
                services.create_draft(
                    actor=actor,
                    values=values,
                    cap={
                        "identifier": alert.identifier[:200],
                        "sender": alert.sender[:200],
                        "source": alert.source,
                    },
                )
            )
    return done


def _refuse_repeat(actor, alert: cap.Alert) -> None:
    """An identifier and sender are imported once in the whole installation (the table's unique constraint);
    the draft made from it is named only to someone whose scope it is in."""
    existing = Warning.objects.filter(cap_identifier=alert.identifier, cap_sender=alert.sender)
    if not existing.exists():
        return
    mine = Warning.objects.for_user(actor).filter(pk__in=existing.values("pk")).first()
    if mine is not None:
        message = _("CAP 预警 %(identifier)s 已于此前导入为“%(title)s”，不再重复导入。") % {
            "identifier": alert.identifier,
            "title": mine.title,
        }
    else:
        message = _("CAP 预警 %(identifier)s 已由其他单位导入，不再重复导入。") % {
            "identifier": alert.identifier
        }
    raise DomainError(CapImportError.DUPLICATE, message, field="file")


def _cancel(actor, alert: cap.Alert) -> Warning:
    # Through the actor's scope: a Cancel neither withdraws nor names a warning outside it.
    found = (
        Warning.objects.for_user(actor)
        .filter(cap_identifier__in=alert.references, cap_sender=alert.sender)
        .first()
    )
    if found is None:
        raise DomainError(
            CapImportError.CANCEL_UNKNOWN,
            _("撤销消息 %(identifier)s 所指的 CAP 预警未曾导入。") % {"identifier": alert.identifier},
            field="file",
        )
    if found.status != rules.DRAFT:
        raise DomainError(
            CapImportError.CANCEL_ISSUED,
            _("“%(title)s”已发布，CAP 撤销消息不能代替解除：请在预警页面办理解除。") % {"title": found.title},
            field="file",
        )
    return services.withdraw(
        actor=actor,
        warning_pk=found.pk,
        reason=_("CAP 撤销消息 %(identifier)s") % {"identifier": alert.identifier},
    )
