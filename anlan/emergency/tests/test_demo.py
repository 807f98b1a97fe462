"""The forces demo step: teams and shelters in every town, the expert library with 赵国平 linked to the demo
expert account, one consultation waiting for his opinion, and every town's 四有."""

from datetime import date

import pytest
from django.db import transaction

from anlan.core import demo
from anlan.core.models import Region, User
from anlan.emergency.models import RescueTeam, Shelter, TownCapacity
from anlan.emergency.selectors import forces as selectors

TODAY = date(2026, 6, 30)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.build_demo(demo.DEFAULT_SEED, today=TODAY)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_gives_every_town_a_team_a_shelter_and_its_four_items(built):
    towns = Region.objects.filter(level=Region.Level.TOWN, parent=built.county).count()
    assert towns > 0
    assert RescueTeam.objects.filter(kind=RescueTeam.Kind.TOWN).count() == towns
    assert Shelter.objects.values("region").distinct().count() == towns
    assert TownCapacity.objects.count() == towns


@pytest.mark.django_db
def test_the_demo_expert_has_one_consultation_waiting_for_an_opinion(built):
    zhuanjia = User.objects.get(username="zhuanjia")
    assert zhuanjia.expert_profile.name == "赵国平"
    due = list(selectors.opinions_due(zhuanjia))
    assert len(due) == 1
    assert selectors.consultation_list(zhuanjia).count() == 1
    assert not selectors.team_list(zhuanjia).exists()
