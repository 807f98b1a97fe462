"""Demo county: plans in every state — the demo enterprise's, the town's, the 住建局's and the 应急管理局's —
with filings accepted, returned, waiting for the check and deemed filed, and one evaluation. Built through the
services, as the users would, so every row has its history."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _

from anlan.core.errors import DomainError
from anlan.core.units import committee_office_for, unit_for

from ..services import plans as services


def step(demo) -> None:
    today = demo.today
    users = demo.users
    made = 0
    owners = []
    if demo.demo_enterprise is not None and "qiye" in users:
        owners.append((users["qiye"], unit_for(demo.demo_enterprise), demo.demo_enterprise.name))
    town = demo.towns.get("新安镇")
    if town is not None and "xinan" in users:
        owners.append((users["xinan"], unit_for(town), town.name))
    if "住建局" in demo.departments and "zhujian" in users:
        owners.append(
            (users["zhujian"], unit_for(demo.departments["住建局"]), demo.departments["住建局"].name)
        )
    if demo.county is not None and "yingji" in users:
        owners.append((users["yingji"], committee_office_for(demo.county), demo.county.name))
    checker = users.get("yingji")
    for index, (actor, owner, name) in enumerate(owners):
        try:
            made += _plans_of(
                actor, owner, name, today, checker if owner.kind != "committee_office" else None, index
            )
        except DomainError:
            # A year without its holiday calendar cannot give a filing deadline: those plans stay as they are.
            continue
    services.deem_unanswered_filings(today=today)
    demo.counts[_("应急预案")] = made


def _plans_of(actor, owner, name, today, checker, index) -> int:
    """Seven plans of one owner: draft, reviewed, published and filed (accepted), published and returned or
    waiting (for the checker), one published long ago and deemed filed, and two 现场处置方案 published about
    half a year ago (left undrilled by demo.drills: one overdue, one due soon)."""
    day = today - timedelta(days=90)
    kinds = [
        ("comprehensive", _("生产安全事故综合应急预案")),
        ("special", _("防汛防台风专项应急预案")),
        ("on_site", _("有限空间作业现场处置方案")),
        ("special", _("火灾事故专项应急预案")),
        ("card", _("值班岗位应急处置卡")),
        ("on_site", _("高处坠落事故现场处置方案")),
        ("on_site", _("触电事故现场处置方案")),
    ]

    def register(kind, title):
        return services.register_plan(
            actor=actor,
            owner_pk=owner.pk,
            data={
                "kind": kind,
                "title": f"{name}{title}",
                "number": "",
                "response_levels": ["1", "2", "3", "4"],
            },
        )

    def publish(plan, on):
        services.record_review(
            no_conflict=True,
            actor=actor,
            plan_pk=plan.pk,
            held_on=on,
            reviewers="赵国平、钱学军",
            conclusion="passed",
        )
        services.sign_plan(actor=actor, plan_pk=plan.pk, signed_on=on, signed_by="主要负责人")
        services.publish_plan(actor=actor, plan_pk=plan.pk, published_on=on)

    receivers = None
    plans = [register(kind, title) for kind, title in kinds]
    # 0: published, filed and accepted; then evaluated.
    publish(plans[0], day)
    receivers = services.selectors.filing_receivers(plans[0])
    if receivers:
        filing = services.submit_filing(
            actor=actor, plan_pk=plans[0].pk, receiver_pk=receivers[-1].pk, submitted_on=today
        )
        if checker is not None and receivers[-1].kind == "committee_office":
            services.accept_filing(actor=checker, filing_pk=filing.pk)
        services.record_evaluation(
            actor=actor, plan_pk=plans[0].pk, evaluated_on=today, conclusion=_("预案适用，无需修订")
        )
    # 1: reviewed, waiting for signature.
    services.record_review(
        no_conflict=True,
        actor=actor,
        plan_pk=plans[1].pk,
        held_on=today,
        reviewers="赵国平",
        conclusion="passed",
    )
    # 2: published, filed today, returned for completion (or waiting for the check).
    # (25 days back: its 20-working-day filing deadline stays in a year whose holiday calendar is loaded.)
    publish(plans[2], today - timedelta(days=25))
    if receivers:
        filing = services.submit_filing(
            actor=actor, plan_pk=plans[2].pk, receiver_pk=receivers[-1].pk, submitted_on=today
        )
        if checker is not None and index % 2 == 0 and receivers[-1].kind == "committee_office":
            services.return_filing(
                actor=checker, filing_pk=filing.pk, missing_items=["risk_assessment", "resource_survey"]
            )
    # 3: published long ago, filed and never answered: the sweep deems it filed.
    publish(plans[3], day)
    if receivers:
        services.submit_filing(
            actor=actor, plan_pk=plans[3].pk, receiver_pk=receivers[-1].pk, submitted_on=day
        )
    # 4: a card left in draft.
    # 5, 6: published 200 and 165 days ago, filed a few days later, never drilled (每半年至少一次).
    for plan, back in ((plans[5], 200), (plans[6], 165)):
        try:
            publish(plan, today - timedelta(days=back))
            if receivers:
                services.submit_filing(
                    actor=actor,
                    plan_pk=plan.pk,
                    receiver_pk=receivers[-1].pk,
                    submitted_on=today - timedelta(days=back - 3),
                )
        except DomainError:  # that year's holiday calendar is not loaded: the plan stays unpublished
            continue
    return len(plans)
