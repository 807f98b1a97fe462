"""Licences are registry facts kept by the issuing or supervising body (issue 12): the enterprise cannot add,
change or delete its licences — it proposes a change, which a supervisor in scope accepts (applying it) or
refuses with a reason; expiry warnings read the confirmed licence only."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from anlan.core import selectors, services
from anlan.core.errors import Code, DomainError, ErrorCode
from anlan.core.models import Licence, LicenceChange
from anlan.core.tests.factories import LicenceFactory

pytestmark = pytest.mark.django_db

FAR = datetime.date(2099, 12, 31)


@pytest.fixture
def licence(cast):
    return LicenceFactory(
        enterprise=cast.enterprise_x,
        number="（皖）JZ安许证字〔2023〕000123",
        valid_until=timezone.localdate() + datetime.timedelta(days=10),
    )


def _propose(cast, licence=None, **data):
    values = {"reason": "已换发新证", "valid_until": FAR, **data}
    return services.propose_licence_change(
        actor=cast["enterprise_x"],
        enterprise_pk=cast.enterprise_x.pk,
        data=values,
        licence_pk=licence.pk if licence else None,
    )


def test_an_enterprise_cannot_push_its_licence_validity_to_2099(cast, licence):
    with pytest.raises(DomainError) as refused:
        services.save_licence(
            actor=cast["enterprise_x"],
            enterprise_pk=cast.enterprise_x.pk,
            licence_pk=licence.pk,
            data={"valid_until": FAR},
        )
    assert refused.value.code == ErrorCode.LICENCE_KEPT_BY_SUPERVISOR
    assert "发证或监管机关" in refused.value.message
    licence.refresh_from_db()
    assert licence.valid_until != FAR
    assert licence.history.count() == 1  # its creation only


def test_an_enterprise_cannot_add_or_delete_its_licences(cast, licence):
    with pytest.raises(DomainError) as refused:
        services.save_licence(
            actor=cast["enterprise_x"],
            enterprise_pk=cast.enterprise_x.pk,
            data={"kind": "other", "number": "自编1号", "valid_until": FAR},
        )
    assert refused.value.code == ErrorCode.LICENCE_KEPT_BY_SUPERVISOR
    with pytest.raises(DomainError) as refused:
        services.delete_licence(
            actor=cast["enterprise_x"],
            enterprise_pk=cast.enterprise_x.pk,
            licence_pk=licence.pk,
            reason="不要了",
        )
    assert refused.value.code == ErrorCode.LICENCE_KEPT_BY_SUPERVISOR
    assert list(Licence.objects.all()) == [licence]
    assert Licence.history.count() == 1  # its creation only


@pytest.mark.parametrize("who", ["town_a", "grid_worker", "leader"])
def test_a_town_a_grid_worker_and_a_leader_do_not_keep_licences(cast, licence, who):
    with pytest.raises(PermissionDenied):
        services.save_licence(
            actor=cast[who],
            enterprise_pk=cast.enterprise_x.pk,
            licence_pk=licence.pk,
            data={"valid_until": FAR},
        )


def test_another_department_cannot_reach_the_licences_of_an_enterprise_it_does_not_supervise(cast, licence):
    with pytest.raises(Http404):
        services.save_licence(
            actor=cast["dept_transport"],
            enterprise_pk=cast.enterprise_x.pk,
            licence_pk=licence.pk,
            data={"valid_until": FAR},
        )


def test_the_supervising_department_keeps_the_licence(cast, licence):
    saved = services.save_licence(
        actor=cast["dept_housing"],
        enterprise_pk=cast.enterprise_x.pk,
        licence_pk=licence.pk,
        data={"valid_until": datetime.date(2029, 3, 1)},
    )
    assert saved.valid_until == datetime.date(2029, 3, 1)
    assert saved.history.first().history_user == cast["dept_housing"]


def test_a_proposal_leaves_the_licence_and_its_expiry_warning_as_they_were(cast, licence):
    change = _propose(cast, licence, action="change")
    assert change.status == LicenceChange.Status.PENDING
    assert (change.action, change.number, change.valid_until) == ("change", licence.number, FAR)
    licence.refresh_from_db()
    assert licence.valid_until != FAR
    expiring = selectors.expiring_licences(cast["county_office"], timezone.localdate())
    assert expiring.first == [licence]
    assert change.history.first().history_user == cast["enterprise_x"]


def test_the_supervising_department_accepts_a_proposal_and_the_licence_changes(cast, licence):
    change = _propose(cast, licence, action="change")
    services.decide_licence_change(actor=cast["dept_housing"], change_pk=change.pk, accept=True)
    change.refresh_from_db()
    licence.refresh_from_db()
    assert change.status == LicenceChange.Status.ACCEPTED
    assert change.decided_by == cast["dept_housing"]
    assert licence.valid_until == FAR
    assert licence.history.first().history_user == cast["dept_housing"]
    assert selectors.expiring_licences(cast["county_office"], timezone.localdate()).count == 0


def test_an_accepted_new_licence_is_added_and_an_accepted_removal_deletes(cast, licence):
    added = _propose(cast, kind="gas_operation", number="皖2026341122001G", issued_by="来安县住建局")
    removed = _propose(cast, licence, action="remove", reason="证照已注销")
    services.decide_licence_change(actor=cast["county_office"], change_pk=added.pk, accept=True)
    services.decide_licence_change(actor=cast["county_office"], change_pk=removed.pk, accept=True)
    assert list(Licence.objects.values_list("number", "valid_until")) == [("皖2026341122001G", FAR)]


def test_a_refusal_needs_a_reason_and_keeps_the_licence(cast, licence):
    change = _propose(cast, licence, action="change")
    with pytest.raises(DomainError):
        services.decide_licence_change(actor=cast["dept_housing"], change_pk=change.pk, accept=False)
    services.decide_licence_change(
        actor=cast["dept_housing"], change_pk=change.pk, accept=False, reason="未见换发的新证"
    )
    change.refresh_from_db()
    licence.refresh_from_db()
    assert (change.status, change.decision_reason) == (LicenceChange.Status.REFUSED, "未见换发的新证")
    assert licence.valid_until != FAR


def test_the_enterprise_cannot_accept_its_own_proposal(cast, licence):
    change = _propose(cast, licence, action="change")
    with pytest.raises(PermissionDenied):
        services.decide_licence_change(actor=cast["enterprise_x"], change_pk=change.pk, accept=True)
    with pytest.raises(Http404):
        services.decide_licence_change(actor=cast["dept_transport"], change_pk=change.pk, accept=True)
    change.refresh_from_db()
    assert change.status == LicenceChange.Status.PENDING
    assert change.history.count() == 1


def test_a_proposal_needs_a_reason_and_only_the_enterprise_proposes(cast, licence):
    with pytest.raises(DomainError) as refused:
        _propose(cast, licence, action="change", reason=" ")
    assert refused.value.code == ErrorCode.LICENCE_CHANGE_REASON
    with pytest.raises(PermissionDenied):
        services.propose_licence_change(
            actor=cast["dept_housing"], enterprise_pk=cast.enterprise_x.pk, data={"reason": "x"}
        )
    with pytest.raises(DomainError) as refused:
        _propose(cast, number="")  # a new licence needs its kind, number and validity
    assert refused.value.code == Code.INVALID
    assert not LicenceChange.objects.exists()


# ---------------------------------------------------------------- pages and API


def test_the_enterprise_page_offers_the_enterprise_a_proposal_and_no_licence_buttons(cast, licence, client):
    client.force_login(cast["enterprise_x"])
    page = client.get(reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])).content.decode()
    assert reverse("core:licence-propose", args=[cast.enterprise_x.pk]) in page
    assert reverse("core:licence-create", args=[cast.enterprise_x.pk]) not in page
    assert reverse("core:licence-edit", args=[cast.enterprise_x.pk, licence.pk]) not in page
    assert reverse("core:licence-delete", args=[cast.enterprise_x.pk, licence.pk]) not in page


def test_the_supervisor_sees_the_pending_proposal_with_its_decision_buttons(cast, licence, client):
    change = _propose(cast, licence, action="change")
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])).content.decode()
    assert reverse("core:licence-edit", args=[cast.enterprise_x.pk, licence.pk]) in page
    assert reverse("core:licence-change-accept", args=[change.pk]) in page
    assert reverse("core:licence-change-refuse", args=[change.pk]) in page


def test_the_api_takes_a_proposal_and_the_supervisor_accepts_it(cast, licence, client):
    client.force_login(cast["enterprise_x"])
    response = client.post(
        reverse("api:licence-change-list"),
        {
            "enterprise": cast.enterprise_x.pk,
            "licence": licence.pk,
            "action": "change",
            "valid_until": "2099-12-31",
            "reason": "已换证",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client.post(reverse("api:licence-change-accept", args=[pk])).status_code == 403
    client.force_login(cast["dept_housing"])
    response = client.post(
        reverse("api:licence-change-accept", args=[pk]), {}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    licence.refresh_from_db()
    assert licence.valid_until == FAR
