"""People (人员): natural persons keyed by 居民身份证号码 (GB 11643-1999), linked to a user account where one
exists. Rows imported from free text (an enterprise's old `principal`) have no number; every row entered
through `find_or_create_person` has one, and a number is never registered twice."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from . import rules
from .errors import DomainError, ErrorCode
from .models import Person, Unit
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
