"""People (人员): natural persons keyed by 居民身份证号码 (GB 11643-1999), linked to a user account where one
exists. Rows imported from free text (an enterprise's old `principal`) have no number; every row entered
through `find_or_create_person` has one, and a number is never registered twice."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .errors import DomainError, ErrorCode
from .models import Enterprise, Person, PrincipalBar, Unit
from .records import save_with_history, validate


def find_or_create_person(
    *, actor, id_number: str, name: str, phone: str = "", employer: Unit | None = None
) -> Person:
    """The person with this ID number, created when new. The number is checked (GB 11643-1999 check
    character); an existing person must carry the same name, and a new phone number or employer given here
    updates their record (one history row)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    try:
        code = rules.validate_id_number(id_number)
    except rules.RuleViolation as exc:
        raise DomainError(exc.code, exc.message, field="id_number") from exc
    name, phone = (name or "").strip(), (phone or "").strip()
    if not name:
        raise DomainError(ErrorCode.PERSON_NAME_REQUIRED, _("请填写姓名。"), field="name")
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(id_number=code).first()
        if person is None:
            person = Person(id_number=code, name=name, phone=phone, employer=employer)
            validate(person)
            try:
                with transaction.atomic():
                    save_with_history(person, actor, "")
            except DomainError:  # registered by a concurrent request a moment ago
                person = Person.objects.select_for_update().get(id_number=code)
            else:
                return person
        if person.name != name:
            raise DomainError(
                ErrorCode.PERSON_ID_CONFLICT,
                _("该居民身份证号码已登记为“%(name)s”，与填写的姓名不符，请核对。") % {"name": person.name},
                field="id_number",
            )
        changes = {}
        if phone and phone != person.phone:
            changes["phone"] = phone
        if employer is not None and employer.pk != person.employer_id:
            changes["employer"] = employer
        if changes:
            for key, value in changes.items():
                setattr(person, key, value)
            validate(person)
            save_with_history(person, actor, "")
    return person


# ---------------------------------------------------------------- 主要负责人任职禁止


def bar_on(person: Person | None, day: date) -> PrincipalBar | None:
    """The bar holding on `day` for this person (the latest ending one), or None. Unscoped: the rule binds
    whoever sets a 主要负责人, whether or not they can see the record that barred the person."""
    if person is None or person.pk is None:
        return None
    return (
        PrincipalBar.objects.filter(person=person, starts_on__lte=day, ends_on__gte=day)
        .order_by("-ends_on", "-pk")
        .first()
    )


def check_not_barred(person: Person | None, day: date | None = None, field: str = "principal") -> None:
    """Refuse a person barred on `day` (today) from being a 主要负责人, naming the bar and its last day."""
    bar = bar_on(person, day or timezone.localdate())
    if bar is not None:
        raise DomainError(
            ErrorCode.ENTERPRISE_PRINCIPAL_BARRED,
            _(
                "%(name)s自%(starts)s至%(ends)s不得担任任何生产经营单位的主要负责人（%(basis)s；%(reason)s），"
                "不能登记为主要负责人。"
            )
            % {
                "name": person.name,
                "starts": bar.starts_on.isoformat(),
                "ends": bar.ends_on.isoformat(),
                "basis": bar.basis,
                "reason": bar.reason,
            },
            field=field,
        )


def bar_principal(
    *,
    actor,
    person: Person,
    starts_on: date,
    basis: str,
    reason: str,
    enterprise: Enterprise | None = None,
    source=None,
    source_text: str = "",
    years: int = rules.PRINCIPAL_BAR_YEARS,
) -> PrincipalBar:
    """Record that `person` may not be a 主要负责人 from `starts_on` for `years` (rules.principal_bar_ends),
    for the module use case that decided it (its `source` record), with one history row. The calling service
    has checked its own right."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(ErrorCode.PRINCIPAL_BAR_REASON, _("任职禁止须写明原因。"), field="reason")
    bar = PrincipalBar(
        person=person,
        enterprise=enterprise,
        starts_on=starts_on,
        ends_on=rules.principal_bar_ends(starts_on, years),
        basis=basis,
        reason=reason,
        source_text=source_text,
        created_by=actor,
    )
    if source is not None:
        bar.source_type = ContentType.objects.get_for_model(source)
        bar.source_id = str(source.pk)
    with transaction.atomic():
        save_with_history(bar, actor, reason)
    return bar
