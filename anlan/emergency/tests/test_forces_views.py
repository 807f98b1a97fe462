"""Pages of the forces part: filters, exports, the 四有 page and a refused assignment through the form."""

from __future__ import annotations

from django.urls import reverse

from anlan.emergency.models import ConsultationAssignment
from anlan.emergency.tests.factories_forces import make_consultation, make_expert, make_team


def test_the_expert_list_filters_by_specialty_and_availability(cast, as_user):
    make_expert(cast, name="消防专家", specialties=["fire"])
    make_expert(cast, name="矿山专家", specialties=["mining"], is_available=False)
    client = as_user(cast["county_office"])
    page = client.get(reverse("emergency:forces-expert-list"), {"specialty": "fire"}).content.decode()
    assert "消防专家" in page and "矿山专家" not in page
    page = client.get(reverse("emergency:forces-expert-list"), {"available": "false"}).content.decode()
    assert "矿山专家" in page and "消防专家" not in page


def test_an_empty_team_list_says_so(cast, as_user):
    response = as_user(cast["town_b"]).get(reverse("emergency:forces-team-list"))
    assert 'data-testid="empty"' in response.content.decode()


def test_the_team_ledger_downloads_as_xlsx(cast, as_user):
    make_team(cast)
    response = as_user(cast["county_office"]).get(reverse("emergency:forces-team-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_capacity_page_lists_every_town_in_few_queries(cast, as_user, django_assert_max_num_queries):
    client = as_user(cast["county_office"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("emergency:forces-capacity-list"))
    page = response.content.decode()
    assert cast.town_a.name in page and cast.town_b.name in page


def test_assigning_an_unavailable_expert_through_the_page_is_refused_with_the_rule(cast, as_user):
    consultation = make_consultation(cast)
    away = make_expert(cast, is_available=False)
    response = as_user(cast["county_office"]).post(
        reverse("emergency:forces-consultation-assign", args=[consultation.pk]),
        {"experts": [away.pk]},
        follow=True,
    )
    assert "当前不可参加会诊" in response.content.decode()
    assert not ConsultationAssignment.objects.exists()
