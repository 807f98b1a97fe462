"""Demo cases of the 严重失信主体名单, one in every state of the procedure, walked through the services by the county
安委办 (anweiban; the deciding unit of every case here is the county's 安委办, which acts for the 应急管理局):

- the daily sweep's candidates from the demo accidents (if the accidents of the last 12 months meet a situation);
- a candidate entered by hand; a case told today (陈述申辩 period open) — the demo enterprise's, so qiye can file
  its statement; a case whose party has stated; a decision not to list;
- listings: an enterprise listed 4 months ago (early removal not yet possible), its 主要负责人 on the same ground,
  a 安全评价机构 that issued a false report (situation 7) and one of its staff, an enterprise whose removal
  application waits for the decision, one removed early, one whose early removal was revoked (relisted), and one
  whose 3 years ran out (expired by the sweep).

The services date every step today; the listing dates of the older cases are then moved back (one UPDATE per
case, before the next step, so the 12-month guard and the sweep see the dates they need). Deterministic: the
enterprises are taken in id order from the demo county's operating ones with a 主要负责人."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.core import units
from anlan.core.demo import id_number
from anlan.core.models import Enterprise

from .. import rules
from ..models import DishonestyCase
from ..services import dishonesty as services

Status = DishonestyCase.Status
ALL_CONDITIONS = {"penalty_fulfilled": True, "harm_removed": True, "no_new_listing_event": True}
BASIS = {
    9: "经查，该单位拒不执行停产停业整顿指令，擅自组织生产，性质恶劣、情节严重。",
    8: "该单位有能力履行而拒不履行行政处罚决定（罚款 20 万元），经催告仍不履行。",
    5: "事故发生后，该单位主要负责人未立即组织抢救，事故调查处理期间擅离职守。",
    7: "该机构为企业出具的安全现状评价报告与现场实际严重不符，经查属虚假报告。",
}


def _backdate(case, listed_days_ago: int, today) -> DishonestyCase:
    """Move a listing's dates back: told and decided before the listing, expiry from the rule."""
    listed_on = today - timedelta(days=listed_days_ago)
    DishonestyCase.objects.filter(pk=case.pk).update(
        notified_on=listed_on - timedelta(days=14),
        statement_due_on=listed_on - timedelta(days=7),
        decided_on=listed_on,
        listed_on=listed_on,
        expires_on=rules.listing_expires_on(listed_on),
    )
    case.refresh_from_db()
    return case


def step(demo) -> None:
    office = demo.users["anweiban"]
    today = timezone.localdate()
    deciding_unit = units.committee_office_for(demo.county)
    swept = services.sweep(today=today)["candidates"]

    pool = iter(
        Enterprise.objects.filter(
            pk__in=[e.pk for e in demo.enterprises if e != demo.demo_enterprise],
            status=Enterprise.Status.OPERATING,
            principal__isnull=False,
        ).order_by("pk")
    )

    serial = iter(range(21, 99))

    def candidate(situation: int, *, enterprise=None, kind="unit", **extra) -> DishonestyCase:
        return services.propose_candidate(
            actor=office,
            data={
                "subject_kind": kind,
                "enterprise": enterprise or (next(pool) if kind in ("unit", "principal") else None),
                "situation": situation,
                "basis": BASIS[situation],
                "penalty_reference": f"来应急罚〔{today.year}〕{next(serial)}号",
                "deciding_unit": deciding_unit,
                **extra,
            },
        )

    def tell(case) -> DishonestyCase:
        return services.notify_party(actor=office, case_pk=case.pk)

    def state(case, text="已按要求整改，罚款已缴纳，请求不予列入。") -> DishonestyCase:
        return services.file_statement(
            actor=office, case_pk=case.pk, name="record_statement", data={"statement": text}
        )

    def list_(case, days_ago: int) -> DishonestyCase:
        # The party did not state its case: its period is taken to have run out yesterday.
        DishonestyCase.objects.filter(pk=case.pk).update(statement_due_on=today - timedelta(days=1))
        case = services.decide(
            actor=office, case_pk=case.pk, listed=True, data={"reason": "陈述申辩理由不成立，不予采纳。"}
        )
        return _backdate(case, days_ago, today)

    def apply(case) -> DishonestyCase:
        return services.apply_removal(
            actor=office,
            case_pk=case.pk,
            name="record_removal_application",
            data={"application": "已全额缴纳罚款，完成整改并经复查合格，近一年未再发生违法行为。"},
        )

    # Not yet told: a candidate entered by hand (the sweep's are beside it).
    candidate(8)
    # Told today: the demo enterprise (qiye files its statement in the period).
    tell(candidate(9, enterprise=demo.demo_enterprise))
    # The party stated its case (on paper, recorded by the office); the decision is next.
    state(tell(candidate(9)))
    # Decided not to list.
    services.decide(
        actor=office,
        case_pk=state(tell(candidate(8))).pk,
        listed=False,
        data={"reason": "当事人已在催告期内履行处罚决定，申辩理由成立，决定不予列入。"},
    )
    # Listed 4 months ago, and its 主要负责人 on situation 5.
    listed = list_(tell(candidate(9)), 120)
    list_(tell(candidate(5, enterprise=listed.enterprise, kind="principal")), 120)
    # A 安全评价机构 that issued a false report, and the staff member who signed it.
    agency = {
        "agency_name": "滁州安衡安全技术咨询有限公司",
        "agency_type": "evaluation",
        "region": demo.county,
    }
    list_(tell(candidate(7, kind="agency", **agency)), 200)
    staff = {**agency, "person_name": "钱立新", "person_id_number": id_number(demo.seed, 9001)}
    list_(tell(candidate(7, kind="agency_staff", **staff)), 200)
    # Listed 13 months ago: the removal application waits for the decision.
    apply(list_(tell(candidate(9)), 395))
    # Removed early after 14 months.
    removed = apply(list_(tell(candidate(8)), 425))
    services.approve_removal(
        actor=office, case_pk=removed.pk, data={**ALL_CONDITIONS, "note": "经核查，信用修复条件均已满足。"}
    )
    # Removed early, then the removal revoked: the application hid a new violation.
    revoked = apply(list_(tell(candidate(9)), 450))
    services.approve_removal(actor=office, case_pk=revoked.pk, data=ALL_CONDITIONS)
    services.revoke_removal(
        actor=office,
        case_pk=revoked.pk,
        reason="经查，申请期间隐瞒了新发生的违法行为，撤销提前移出，恢复列入。",
    )
    # Listed more than 3 years ago: the sweep removes it (期满移出).
    list_(tell(candidate(9)), 3 * 365 + 5)
    services.sweep(today=today)

    for status, label in Status.choices:
        demo.counts[f"严重失信名单·{label}"] = DishonestyCase.objects.filter(status=status).count()
    demo.counts["严重失信名单·事故筛查候选"] = swept
