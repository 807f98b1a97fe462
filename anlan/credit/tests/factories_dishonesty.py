"""严重失信主体名单 cases for tests, made through the services: a candidate on the cast's enterprise X decided by the
county 安委办 (the 应急管理局's unit), and the same case walked on to each later state with dates that make each
step legal (time_machine moves the clock where a step needs a later day)."""

from __future__ import annotations

from datetime import date, datetime, time

import time_machine
from django.utils import timezone

from anlan.core import units
from anlan.credit.services import dishonesty as services

# A day whose 5 working days stay inside 2026 (the calendar shipped with core).
NOTIFIED_ON = date(2026, 3, 2)  # a Monday; + 5 working days = 2026-03-09
LISTED_ON = date(2026, 3, 16)


def at(day: date):
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(10))), tick=False)


def office_unit(cast):
    return units.committee_office_for(cast.county)


def candidate(
    cast, *, actor=None, subject_kind="unit", situation=9, enterprise=None, deciding_unit=None, **extra
):
    data = {
        "subject_kind": subject_kind,
        "enterprise": enterprise or cast.enterprise_x,
        "situation": situation,
        "basis": "经查，该单位违法行为性质恶劣、情节严重。",
        "penalty_reference": "来应急罚〔2026〕12号",
        "deciding_unit": deciding_unit or office_unit(cast),
        **extra,
    }
    return services.propose_candidate(actor=actor or cast["county_office"], data=data)


def notified(cast, **kw):
    with at(NOTIFIED_ON):
        case = candidate(cast, **kw)
        return services.notify_party(actor=cast["county_office"], case_pk=case.pk)


def stated(cast, **kw):
    case = notified(cast, **kw)
    with at(date(2026, 3, 5)):
        return services.file_statement(
            actor=cast["enterprise_x"],
            case_pk=case.pk,
            name="file_statement",
            data={"statement": "已整改到位。"},
        )


def listed(cast, **kw):
    case = stated(cast, **kw)
    with at(LISTED_ON):
        return services.decide(
            actor=cast["county_office"], case_pk=case.pk, listed=True, data={"reason": "申辩理由不成立。"}
        )


def removal_applied(cast, **kw):
    case = listed(cast, **kw)
    with at(date(2027, 3, 17)):
        return services.apply_removal(
            actor=cast["enterprise_x"],
            case_pk=case.pk,
            name="apply_removal",
            data={"application": "已缴清罚款。"},
        )


ALL_CONDITIONS = {"penalty_fulfilled": True, "harm_removed": True, "no_new_listing_event": True}


def removed(cast, **kw):
    case = removal_applied(cast, **kw)
    with at(date(2027, 3, 20)):
        return services.approve_removal(actor=cast["county_office"], case_pk=case.pk, data=ALL_CONDITIONS)
