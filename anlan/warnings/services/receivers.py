"""突发事件应对法 第六十五条: each 公共场所 and 人员密集场所 names the person responsible for receiving and passing on
warnings. The place itself (its enterprise account) or a supervisor in whose scope it lies keeps the name."""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _

from anlan.core import records
from anlan.core.audit import record_text
from anlan.core.errors import DomainError
from anlan.core.models import Enterprise
from anlan.core.permissions import require
from anlan.core.rules import MOBILE_RE, validate_phone
from anlan.core.selectors import access

from ..models import PlaceReceiver

MANAGE = "warnings.manage_receivers"


class ReceiverError(StrEnum):
    NAME_REQUIRED = "receiver_name_required"
    NOT_A_CROWDED_PLACE = "not_a_crowded_place"
    MOBILE_REQUIRED = "receiver_mobile_required"


def set_receiver(*, actor, enterprise_pk, name: str, phone: str) -> PlaceReceiver:
    """Name (or change) a place's warning receiver; the change is kept in the receiver's history."""
    name = (name or "").strip()
    if not name:
        raise DomainError(ReceiverError.NAME_REQUIRED, _("请填写预警信息接收人姓名。"), field="name")
    phone = records.check_rule(validate_phone, phone or "", "phone")
    if not MOBILE_RE.fullmatch(phone):
        raise DomainError(
            ReceiverError.MOBILE_REQUIRED, _("预警信息以短信送达，请填写11位手机号码。"), field="phone"
        )
    with transaction.atomic():
        place = access(Enterprise.objects.all(), actor, enterprise_pk, for_update=True)
        if not place.is_crowded_place:
            raise DomainError(
                ReceiverError.NOT_A_CROWDED_PLACE,
                _("该单位未登记为人员密集场所，无需指定预警信息接收人。"),
                field="enterprise",
            )
        require(actor, MANAGE, place)
        receiver = PlaceReceiver.objects.filter(enterprise=place).first() or PlaceReceiver(enterprise=place)
        reason = _("指定预警信息接收人") if receiver.pk is None else _("变更预警信息接收人")
        receiver.name, receiver.phone = name, phone
        records.validate(receiver)
        records.save_with_history(receiver, actor, record_text(reason))
    return receiver
