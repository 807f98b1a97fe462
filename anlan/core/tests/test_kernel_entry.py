"""Entry helpers: form pages, POST actions, filtered lists and transition endpoints and buttons.

This module is also the URLconf of its tests (the `urls` fixture sets ROOT_URLCONF to it): the test's own
transition table over `Enterprise.status`, mounted under the namespace `kerneltest`, in front of the site's
URLs so that `base.html` renders.
"""

from enum import StrEnum

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import include, path
from django.utils import translation

from anlan.core import entry
from anlan.core.errors import DomainError
from anlan.core.filters import EnterpriseFilter
from anlan.core.forms import ReasonForm
from anlan.core.models import Enterprise
from anlan.core.workflow import Refusal, Transition, apply_transition

S = Enterprise.Status
RIGHT = "core.change_enterprise_status"  # the 安委办, departments and towns hold it


class KernelRule(StrEnum):
    MAJOR_HAZARD_SOURCE = "major_hazard_source"
    NOTE_REFUSED = "note_refused"


def not_with_a_major_hazard_source(enterprise, user):
    if enterprise.has_major_hazard_source:
        return Refusal(KernelRule.MAJOR_HAZARD_SOURCE, "重大危险源单位不能直接关闭。")
    return None


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=50)


TABLE = (
    Transition("suspend", frozenset({S.OPERATING}), S.SUSPENDED, RIGHT, "停产"),
    Transition(
        "close",
        frozenset({S.OPERATING, S.SUSPENDED}),
        S.CLOSED,
        RIGHT,
        "关闭",
        reason_required=True,
        guards=(not_with_a_major_hazard_source,),
    ),
    Transition("resume", frozenset({S.SUSPENDED}), S.OPERATING, RIGHT, "复产"),
    Transition(
        "mark_deregistered",
        frozenset({S.OPERATING}),
        S.DEREGISTERED,
        RIGHT,
        "注销",
        form=f"{__name__}.NoteForm",
    ),
)


def access(user, pk):
    return get_object_or_404(Enterprise.objects.for_user(user), pk=pk)


def detail_url(enterprise):
    return f"/kernel-test/enterprise/{enterprise.pk}/"


def perform(user, record, transition, data):
    """The 'service' of the test table: a note "拒绝" is refused on the note field by a domain rule."""
    if data.get("note") == "拒绝":
        raise DomainError(KernelRule.NOTE_REFUSED, "说明不能为“拒绝”。", field="note")
    return apply_transition(record, transition, actor=user, reason=data.get("reason") or data.get("note", ""))


def employees_page(request, pk):
    """A form page: the number of employees, refused above 1000 by the 'service' on its field."""
    enterprise = access(request.user, pk)

    def call(data):
        if data["employees"] > 1000:
            raise DomainError(KernelRule.NOTE_REFUSED, "人数超出上限。", field="employees")
        Enterprise.objects.filter(pk=enterprise.pk).update(employees=data["employees"])
        return enterprise

    class EmployeesForm(forms.Form):
        employees = forms.IntegerField(label="从业人员数")

    return entry.form_page(
        request,
        form=EmployeesForm(request.POST or None),
        call=call,
        success_url=detail_url,
        template="core/simple_form.html",
        context={"title": "人数"},
        message="已保存",
    )


def dismiss(request, pk):
    """A POST action with a reason: "撤回" is refused by the 'service'."""
    enterprise = access(request.user, pk)

    def call(data):
        if data["reason"] == "撤回":
            raise DomainError(KernelRule.NOTE_REFUSED, "不能撤回。", field="reason")
        Enterprise.objects.filter(pk=enterprise.pk).update(address=data["reason"])

    return entry.post_action(
        request, form=ReasonForm(request.POST), call=call, back=detail_url(enterprise), message="已处理"
    )


def enterprise_list(request):
    return entry.list_page(
        request,
        queryset=Enterprise.objects.for_user(request.user).order_by("name"),
        filterset_class=EnterpriseFilter,
        template="kernel_test/list.html",
        fragment="kernel_test/fragment.html",
        context={"title": "单位"},
        per_page=1,
    )


def detail(request, pk):
    return HttpResponse("detail")


transition = entry.transition_view(access=access, table=TABLE, perform=perform, detail_url=detail_url)

kernel_patterns = [
    path("enterprise/<int:pk>/", detail, name="enterprise-detail"),
    path("enterprise/<int:pk>/employees/", employees_page, name="enterprise-employees"),
    path("enterprise/<int:pk>/dismiss/", dismiss, name="enterprise-dismiss"),
    path("enterprise/", enterprise_list, name="enterprise-list"),
    path("enterprise/", include(entry.transition_patterns("enterprise", TABLE, transition))),
]

urlpatterns = [
    path("kernel-test/", include((kernel_patterns, "kerneltest"))),
    path("", include("anlan.urls")),
]

ROW = "{% for e in page.object_list %}{{ e.name }};{% endfor %}|{{ page.paginator.count }}|{{ query }}|{{ title }}"


@pytest.fixture(autouse=True)
def urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.TEMPLATES = [
        *settings.TEMPLATES,
        {
            "NAME": "kernel_test",
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "kernel_test/list.html": "FULL|" + ROW,
                            "kernel_test/fragment.html": "FRAGMENT|" + ROW,
                        },
                    )
                ]
            },
        },
    ]


def url(enterprise, step):
    return f"/kernel-test/enterprise/{enterprise.pk}/{step}/"


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def status_of(enterprise):
    return Enterprise.objects.get(pk=enterprise.pk).status


@pytest.fixture
def hazardous(cast):
    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(has_major_hazard_source=True)
    return Enterprise.objects.get(pk=cast.enterprise_x.pk)


# ---------------------------------------------------------------- small helpers


def test_crumbs_are_label_and_url_pairs():
    assert entry.crumbs(("单位", "/e/"), ("详情", "")) == [("单位", "/e/"), ("详情", "")]


def test_transition_patterns_give_one_named_url_per_transition():
    patterns = entry.transition_patterns("enterprise", TABLE, transition)
    assert [(p.name, str(p.pattern)) for p in patterns] == [
        ("enterprise-suspend", "<int:pk>/suspend/"),
        ("enterprise-close", "<int:pk>/close/"),
        ("enterprise-resume", "<int:pk>/resume/"),
        ("enterprise-mark-deregistered", "<int:pk>/mark-deregistered/"),
    ]


# ---------------------------------------------------------------- transition endpoints


def test_a_transition_without_a_form_is_performed_by_a_post_and_goes_back_with_a_message(cast, as_user):
    response = as_user(cast["town_a"]).post(url(cast.enterprise_x, "suspend"))
    assert (response.status_code, response["Location"]) == (302, detail_url(cast.enterprise_x))
    assert status_of(cast.enterprise_x) == S.SUSPENDED
    assert texts(response) == ["停产"]


def test_an_htmx_post_that_succeeds_answers_204_with_hx_location(cast, as_user):
    response = as_user(cast["town_a"]).post(url(cast.enterprise_x, "suspend"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Location"] == detail_url(cast.enterprise_x)
    assert status_of(cast.enterprise_x) == S.SUSPENDED


def test_a_transition_without_a_form_has_no_page_to_get(cast, as_user):
    assert as_user(cast["town_a"]).get(url(cast.enterprise_x, "suspend")).status_code == 404
    assert status_of(cast.enterprise_x) == S.OPERATING


def test_a_transition_requiring_a_reason_shows_the_reason_form(cast, as_user):
    response = as_user(cast["town_a"]).get(url(cast.enterprise_x, "close"))
    assert response.status_code == 200
    assert response.templates[0].name == "components/transition_form.html"
    assert isinstance(response.context["form"], ReasonForm)
    assert response.context["cancel_url"] == detail_url(cast.enterprise_x)


def test_a_reason_posted_performs_the_transition_and_records_it(cast, as_user):
    response = as_user(cast["town_a"]).post(url(cast.enterprise_x, "close"), {"reason": "已搬迁"})
    assert response.status_code == 302
    assert status_of(cast.enterprise_x) == S.CLOSED
    assert cast.enterprise_x.history.first().history_change_reason == "已搬迁"


def test_a_missing_reason_keeps_the_form_and_changes_nothing(cast, as_user):
    response = as_user(cast["town_a"]).post(url(cast.enterprise_x, "close"), {"reason": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]
    assert status_of(cast.enterprise_x) == S.OPERATING


def test_a_domain_error_lands_on_the_field_it_names_and_the_input_is_kept(cast, as_user):
    before = cast.enterprise_x.history.count()
    response = as_user(cast["town_a"]).post(url(cast.enterprise_x, "mark-deregistered"), {"note": "拒绝"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"note": ["说明不能为“拒绝”。"]}
    assert form["note"].value() == "拒绝"
    assert 'value="拒绝"' in response.content.decode()
    assert status_of(cast.enterprise_x) == S.OPERATING
    assert cast.enterprise_x.history.count() == before


def test_a_step_with_its_own_form_is_performed_with_that_forms_data(cast, as_user):
    response = as_user(cast["town_a"]).post(url(cast.enterprise_x, "mark-deregistered"), {"note": "已注销"})
    assert response.status_code == 302
    assert status_of(cast.enterprise_x) == S.DEREGISTERED


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_step_its_guard_refuses_goes_back_naming_the_rule_and_changes_nothing(
    hazardous, cast, as_user, method
):
    before = hazardous.history.count()
    client = as_user(cast["town_a"])
    response = getattr(client, method)(url(hazardous, "close"), {"reason": "已搬迁"})
    assert (response.status_code, response["Location"]) == (302, detail_url(hazardous))
    assert texts(response) == ["重大危险源单位不能直接关闭。"]
    assert status_of(hazardous) == S.OPERATING
    assert hazardous.history.count() == before


def test_a_step_from_another_state_goes_back_naming_the_state(cast, as_user):
    response = as_user(cast["town_a"]).post(url(cast.enterprise_x, "resume"))
    assert response.status_code == 302
    assert texts(response) == ["当前状态为“正常生产经营”，不能执行“复产”。"]
    assert status_of(cast.enterprise_x) == S.OPERATING


def test_a_role_without_the_right_is_forbidden_and_nothing_changes(cast, as_user):
    assert as_user(cast["enterprise_x"]).post(url(cast.enterprise_x, "suspend")).status_code == 403
    assert status_of(cast.enterprise_x) == S.OPERATING


def test_a_record_out_of_scope_is_not_found_and_nothing_changes(cast, as_user):
    assert as_user(cast["town_b"]).post(url(cast.enterprise_x, "suspend")).status_code == 404
    assert status_of(cast.enterprise_x) == S.OPERATING


def test_an_anonymous_visitor_is_sent_to_log_in(cast, client):
    response = client.post(url(cast.enterprise_x, "suspend"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert status_of(cast.enterprise_x) == S.OPERATING


# ---------------------------------------------------------------- the buttons


def render_buttons(
    enterprise, user, source='{% transition_buttons record "kerneltest" "enterprise" table %}'
):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load anlan %}" + source)
    return template.render(
        Context({"record": enterprise, "request": request, "table": TABLE, "csrf_token": "t"})
    )


def test_the_buttons_are_the_steps_the_user_may_take_now(cast):
    x = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    html = render_buttons(x, cast["town_a"])
    assert f'<form method="post" action="{url(x, "suspend")}"' in html
    assert f'href="{url(x, "close")}"' in html
    assert f'href="{url(x, "mark-deregistered")}"' in html
    assert url(x, "resume") not in html


def test_a_button_its_guard_would_refuse_is_not_shown(hazardous, cast):
    html = render_buttons(hazardous, cast["town_a"])
    assert url(hazardous, "suspend") in html
    assert url(hazardous, "close") not in html
    assert "关闭" not in html


def test_no_buttons_for_a_user_without_the_right(cast):
    assert render_buttons(Enterprise.objects.get(pk=cast.enterprise_x.pk), cast["enterprise_x"]).strip() == ""


def test_the_tag_reads_the_models_own_table_by_default(cast, monkeypatch):
    monkeypatch.setattr(Enterprise, "TRANSITIONS", TABLE)
    x = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    html = render_buttons(x, cast["town_a"], '{% transition_buttons record "kerneltest" "enterprise" %}')
    assert url(x, "suspend") in html


# ---------------------------------------------------------------- form page


def test_a_form_page_shows_its_form(cast, as_user):
    response = as_user(cast["town_a"]).get(f"/kernel-test/enterprise/{cast.enterprise_x.pk}/employees/")
    assert response.status_code == 200
    assert response.context["title"] == "人数"
    assert not response.context["form"].is_bound


def test_a_form_page_post_calls_the_service_and_redirects_to_the_result(cast, as_user):
    response = as_user(cast["town_a"]).post(
        f"/kernel-test/enterprise/{cast.enterprise_x.pk}/employees/", {"employees": "1000"}
    )
    assert (response.status_code, response["Location"]) == (302, detail_url(cast.enterprise_x))
    assert texts(response) == ["已保存"]
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).employees == 1000


def test_a_form_page_shows_the_services_refusal_on_its_field_and_keeps_the_input(cast, as_user):
    response = as_user(cast["town_a"]).post(
        f"/kernel-test/enterprise/{cast.enterprise_x.pk}/employees/", {"employees": "1001"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"employees": ["人数超出上限。"]}
    assert form["employees"].value() == "1001"
    assert 'data-field="employees">人数超出上限。' in response.content.decode()
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).employees == cast.enterprise_x.employees


def test_a_form_page_htmx_post_answers_204_with_hx_location(cast, as_user):
    response = as_user(cast["town_a"]).post(
        f"/kernel-test/enterprise/{cast.enterprise_x.pk}/employees/",
        {"employees": "7"},
        headers={"HX-Request": "true"},
    )
    assert (response.status_code, response["HX-Location"]) == (204, detail_url(cast.enterprise_x))


# ---------------------------------------------------------------- post action


def test_a_post_action_calls_the_service_and_goes_back_with_its_message(cast, as_user):
    response = as_user(cast["town_a"]).post(
        f"/kernel-test/enterprise/{cast.enterprise_x.pk}/dismiss/", {"reason": "核实"}
    )
    assert (response.status_code, response["Location"]) == (302, detail_url(cast.enterprise_x))
    assert texts(response) == ["已处理"]
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).address == "核实"


def test_a_post_action_refused_by_the_service_goes_back_with_the_refusal(cast, as_user):
    response = as_user(cast["town_a"]).post(
        f"/kernel-test/enterprise/{cast.enterprise_x.pk}/dismiss/", {"reason": "撤回"}
    )
    assert response.status_code == 302
    assert texts(response) == ["不能撤回。"]
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).address == cast.enterprise_x.address


def test_a_post_action_with_invalid_input_goes_back_with_the_forms_error(cast, as_user):
    response = as_user(cast["town_a"]).post(
        f"/kernel-test/enterprise/{cast.enterprise_x.pk}/dismiss/", {"reason": ""}
    )
    assert response.status_code == 302
    with translation.override("zh-hans"):
        required = str(ReasonForm.base_fields["reason"].error_messages["required"])
    assert texts(response) == [required]
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).address == cast.enterprise_x.address


# ---------------------------------------------------------------- list page


def test_a_list_page_shows_the_full_page_with_the_users_rows(cast, as_user):
    body = as_user(cast["county_office"]).get("/kernel-test/enterprise/").content.decode()
    assert body == "FULL|安徽来安化工有限公司;|2||单位"


def test_a_list_page_answers_an_htmx_request_with_the_fragment(cast, as_user):
    response = as_user(cast["county_office"]).get(
        "/kernel-test/enterprise/?page=2", headers={"HX-Request": "true"}
    )
    assert response.content.decode() == "FRAGMENT|来安县建工集团有限公司;|2||单位"


def test_a_boosted_htmx_navigation_gets_the_full_page(cast, as_user):
    response = as_user(cast["county_office"]).get(
        "/kernel-test/enterprise/", headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert response.content.decode().startswith("FULL|")


def test_a_list_page_filters_and_keeps_the_filter_without_the_page_in_its_query(cast, as_user):
    Enterprise.objects.filter(pk=cast.enterprise_y.pk).update(status=S.SUSPENDED)
    body = (
        as_user(cast["county_office"])
        .get("/kernel-test/enterprise/?status=suspended&page=1")
        .content.decode()
    )
    assert body == "FULL|安徽来安化工有限公司;|1|status=suspended|单位"


def test_a_list_page_leaves_out_rows_outside_the_users_scope(cast, as_user):
    body = as_user(cast["town_a"]).get("/kernel-test/enterprise/").content.decode()
    assert body == "FULL|来安县建工集团有限公司;|1||单位"
