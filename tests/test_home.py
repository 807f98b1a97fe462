"""The home page (工作台) per role (issue #13): 待办 from every module as links the user may open, counted in
the header; the tasks each role starts from nothing; the blocks each role may see."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from anlan.core import selectors
from anlan.core.tests.factories import industry
from anlan.hazards import services as hazard_services
from anlan.hazards.models import Hazard, Lead
from anlan.hazards.tests.factories import HazardFactory, LeadFactory, on, photo
from tests.matrix import WHO

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


def _todo_links(html: str) -> list[str]:
    return re.findall(r'data-testid="todo-item">\s*<div class="text-break"><a href="([^"]+)"', html)


@pytest.fixture
def work(cast):
    """Something to do for several roles: a hazard of X to rectify, one submitted to verify, a pending lead."""
    open_hazard = HazardFactory(enterprise=cast.enterprise_x, due_on=on(2), status=Hazard.Status.RECTIFYING)
    submitted = HazardFactory(
        enterprise=cast.enterprise_x,
        status=Hazard.Status.AWAITING_VERIFICATION,
        source=Hazard.Source.DEPARTMENT_INSPECTION,
        due_on=on(-1),
    )
    lead = LeadFactory(
        region=cast.village_a, grid=cast.grid_a, place="东关路口", reported_by=cast["grid_worker"]
    )
    return {"open": open_hazard, "submitted": submitted, "lead": lead, "expert": cast.expert_hazard()}


@pytest.mark.parametrize("who", [w for w in WHO if w != "anonymous"])
def test_every_todo_item_opens_for_its_user_and_the_counts_agree(cast, work, client, who):
    user = cast[who]
    client.force_login(user)
    page = client.get(HOME)
    assert page.status_code == 200
    groups = page.context["todos"]
    total = sum(group.value for group in groups)
    assert page.context["todo_total"] == total == selectors.todo_total(user)
    badge = client.get(reverse("core:todo-count")).content.decode()
    assert (f'data-testid="todo-count">{total}<' in badge) if total else "todo-count" not in badge
    links = _todo_links(page.content.decode())
    assert len(links) == sum(len(group.items) for group in groups)
    for link in links:  # nothing on the list is something the user may not open
        assert client.get(link).status_code == 200, (who, link)
    for group in groups:
        assert len(group.items) == min(group.value, selectors.TODO_ITEMS)


def test_the_enterprise_sees_what_it_must_rectify_with_the_days_left_and_its_own_block(cast, work, client):
    client.force_login(cast["enterprise_x"])
    page = client.get(HOME)
    html = page.content.decode()
    rectify = next(group for group in page.context["todos"] if group.key == "hazards_to_rectify")
    assert [item.title for item in rectify.items][0].startswith(work["open"].number)
    assert "剩 2 天" in html
    assert 'data-testid="home-enterprise"' in html and cast.enterprise_x.name in html
    assert 'data-testid="home-registry"' not in html  # the jurisdiction's summary is the supervisors'
    assert [s.key for s in page.context["shortcuts"]] == ["register_hazard", "report_accident"]


def test_an_item_is_gone_once_done(cast, work, client):
    """The enterprise submits its rectification: the hazard leaves its 待整改 and enters the county office's
    待验收; the office verifies it: it leaves that too."""
    enterprise, office = cast["enterprise_x"], cast["county_office"]
    number = work["open"].number

    def listed(user, key):
        client.force_login(user)
        groups = {group.key: group for group in client.get(HOME).context["todos"]}
        return {item.title.split(" · ")[0] for item in groups[key].items} if key in groups else set()

    assert number in listed(enterprise, "hazards_to_rectify")
    assert number not in listed(office, "hazards_to_verify")
    hazard_services.submit_rectification(
        actor=enterprise, hazard_pk=work["open"].pk, description="已补设连墙件", photos=[photo()]
    )
    assert number not in listed(enterprise, "hazards_to_rectify")
    assert number in listed(office, "hazards_to_verify")
    hazard_services.verify_rectification(
        actor=office, hazard_pk=work["open"].pk, passed=True, opinion="现场核查合格", method="on_site"
    )
    assert number not in listed(office, "hazards_to_verify")


def test_the_grid_worker_starts_with_the_report_button_and_sees_what_became_of_the_leads(cast, work, client):
    worker = cast["grid_worker"]
    lead = work["lead"]
    client.force_login(worker)
    page = client.get(HOME)
    html = page.content.decode()
    assert [s.key for s in page.context["shortcuts"]] == ["report_lead"]
    assert html.index('data-shortcut="report_lead"') < html.index('data-testid="todos"')
    assert html.index('data-testid="home-leads"') < html.index('data-testid="indicators"')
    assert "东关路口" in html and "待核实" in html

    hazard = HazardFactory(
        region=cast.village_a, grid=cast.grid_a, place="东关路口", industry=industry("construction")
    )
    Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.CONFIRMED, hazard=hazard)
    html = client.get(HOME).content.decode()
    assert f"已立为隐患 {hazard.number}" in html
    visible = Hazard.objects.for_user(worker).filter(pk=hazard.pk).exists()
    assert (reverse("hazards:hazard-detail", args=[hazard.pk]) in html) is visible

    mine = client.get(reverse("hazards:lead-list"), {"mine": "true"})
    assert [row.pk for row in mine.context["page"].object_list] == [lead.pk]


def test_the_expert_sees_the_hazards_assigned_to_them(cast, work, client):
    client.force_login(cast["expert"])
    html = client.get(HOME).content.decode()
    assert 'data-testid="home-assigned"' in html and work["expert"].number in html
    assert 'data-testid="home-registry"' not in html


@pytest.mark.parametrize(
    "who,summary", [("county_office", True), ("town_a", True), ("leader", True), ("grid_worker", False)]
)
def test_the_jurisdiction_summary_is_for_supervisors_and_leaders(cast, client, who, summary):
    client.force_login(cast[who])
    assert ('data-testid="home-registry"' in client.get(HOME).content.decode()) is summary


def test_the_api_docs_are_linked_for_staff_only(cast, client):
    user = cast["county_office"]
    client.force_login(user)
    docs = reverse("api:docs")
    assert f'href="{docs}"' not in client.get(HOME).content.decode()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    assert f'href="{docs}"' in client.get(HOME).content.decode()


@pytest.mark.parametrize(
    "days,text,style",
    [
        (-2, "逾期 2 天", "text-bg-danger"),
        (-1, "逾期 1 天", "text-bg-danger"),
        (0, "今天到期", "text-bg-danger"),
        (1, "剩 1 天", "text-bg-warning"),
        (3, "剩 3 天", "text-bg-warning"),
        (4, "剩 4 天", "text-bg-light"),
    ],
)
def test_days_left_badge_boundaries(days, text, style):
    today = date(2026, 12, 2)
    html = Template("{% days_left due today %}").render(
        Context({"due": today + timedelta(days=days), "today": today})
    )
    assert text in html and style in html


def test_the_home_page_renders_the_header_count_it_already_has(cast, work, client):
    """The header's badge is loaded after other pages; the home page, which has counted, shows it at once."""
    client.force_login(cast["enterprise_x"])
    count_url = reverse("core:todo-count")
    home = client.get(HOME).content.decode()
    assert (
        count_url not in home
        and f'data-testid="todo-count">{selectors.todo_total(cast["enterprise_x"])}<' in home
    )
    assert f'hx-get="{count_url}"' in client.get(reverse("core:enterprise-list")).content.decode()
