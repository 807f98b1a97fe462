"""Demo step `warnings_evacuation`: under the standing geohazard warning, the county office opens 转移避险 in the
towns; most households of the threatened points are moved — to a town's 避难场所 or to relatives — some are still
to move (the towns' 待办), and a household outside the points is added by hand in one town."""

from __future__ import annotations

from .. import rules
from ..models import Household, Warning
from ..services import evacuation as services


def step(demo) -> None:
    from anlan.emergency.selectors.forces import shelter_list

    rng = demo.random("warnings_evacuation")
    office = demo.users["anweiban"]
    warning = Warning.objects.filter(status=rules.ISSUED, hazard="geohazard").order_by("-issued_at").first()
    if warning is None:
        return
    evacuations = services.open_evacuations(actor=office, warning_pk=warning.pk)
    shelters = list(shelter_list(office).order_by("pk"))
    for index, evacuation in enumerate(evacuations):
        if index == 0:
            services.add_household(
                actor=office,
                evacuation_pk=evacuation.pk,
                data={
                    "head_name": "孙德明",
                    "people": 4,
                    "phone": "13955501234",
                    "note": "沟口低洼处独居老人一户",
                },
            )
        town_shelters = [s for s in shelters if s.region_id.startswith(evacuation.town_id[:9])]
        for row in Household.objects.filter(evacuation=evacuation, point__isnull=False).order_by("pk"):
            if rng.random() < 0.25:
                continue  # still to move
            if town_shelters and rng.random() < 0.6:
                data = {"shelter_kind": rules.IN_SHELTER, "shelter": rng.choice(town_shelters)}
            else:
                data = {"shelter_kind": rules.WITH_RELATIVES, "shelter_note": "投靠亲友"}
            services.move(actor=office, household_pk=row.pk, data=data)
    demo.counts["转移户"] = Household.objects.filter(evacuation__warning=warning).count()
