"""The risk register's use cases. The enterprise keeps its own register (主体责任): its users register and
correct risk points, place them on the site plan, assess them (LEC or LS), add control measures and the checks
that test them, and upload the site plan. Supervisors in scope read everything and change nothing; the county
office sets which LS variant its county uses. Every change leaves one history row with actor and reason."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from anlan.core import records, uploads
from anlan.core import selectors as core_selectors
from anlan.core.audit import record_text
from anlan.core.errors import DomainError
from anlan.core.models import Region
from anlan.core.permissions import require, require_right

from .. import rules
from ..models import ControlMeasure, GradingSettings, HazardCheck, RiskAssessment, RiskPoint, SitePlan
from ..selectors import register as selectors

MANAGE = selectors.MANAGE
CONFIGURE = "risk.configure_grading"
POINT_FIELDS = ("name", "kind", "location", "hazard_factors")


class RegisterError(StrEnum):
    NAME_REQUIRED = "risk_point_name_required"
    FACTORS_REQUIRED = "risk_point_factors_required"
    POSITION = "risk_point_position"
    ACCIDENT_TYPE = "risk_point_accident_type"
    METHOD = "risk_assessment_method"
    LEC_VALUE = "risk_assessment_lec_value"
    LS_VALUE = "risk_assessment_ls_value"
    ASSESSED_IN_FUTURE = "risk_assessment_in_future"
    ASSESSED_BEFORE_LATEST = "risk_assessment_before_latest"
    CONTENT_REQUIRED = "risk_control_content_required"
    RESPONSIBLE_REQUIRED = "risk_control_responsible_required"
    CONTROL_LEVEL = "risk_control_level"
    CHECK_CONTENT_REQUIRED = "risk_check_content_required"
    NOT_A_COUNTY = "risk_settings_not_a_county"
    VARIANT = "risk_settings_variant"


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _position(data: dict) -> tuple[Decimal | None, Decimal | None]:
    x, y = data.get("x"), data.get("y")
    if x in (None, "") and y in (None, ""):
        return None, None
    if x in (None, "") or y in (None, "") or not rules.plan_position_valid(x, y):
        raise DomainError(RegisterError.POSITION, _("平面图位置须为 0 到 1 之间的一对数值。"), field="x")
    return Decimal(str(x)).quantize(Decimal("0.0001")), Decimal(str(y)).quantize(Decimal("0.0001"))


def _accident_types(data: dict) -> str:
    codes = [str(code) for code in data.get("accident_types") or ()]
    known = set(RiskPoint.AccidentType.values)
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise DomainError(
            RegisterError.ACCIDENT_TYPE, _("事故类型须为 GB 6441 的代码。"), field="accident_types"
        )
    return ",".join(sorted(set(codes)))


def _save_point(point: RiskPoint, *, actor, data: dict, reason) -> RiskPoint:
    for name in POINT_FIELDS:
        if name in data:
            setattr(point, name, _text(data, name))
    if "accident_types" in data:
        point.accident_types = _accident_types(data)
    if "x" in data or "y" in data:
        point.x, point.y = _position(data)
    if not point.name:
        raise DomainError(RegisterError.NAME_REQUIRED, _("请填写风险点名称。"), field="name")
    if not point.hazard_factors:
        raise DomainError(
            RegisterError.FACTORS_REQUIRED, _("请填写危险有害因素（辨识结果）。"), field="hazard_factors"
        )
    records.validate(point)
    records.save_with_history(point, actor, record_text(reason))
    records.ensure_in_scope(actor, MANAGE, point, "enterprise")
    return point


def create_point(*, actor, enterprise_pk, data: dict) -> RiskPoint:
    """登记风险点 of the actor's own enterprise (at a place on its site plan when x and y are given)."""
    require_right(actor, MANAGE)
    with transaction.atomic():
        enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
        require(actor, MANAGE, enterprise)
        return _save_point(
            RiskPoint(enterprise=enterprise), actor=actor, data=data, reason=gettext_lazy("登记风险点")
        )


def update_point(*, actor, point_pk, data: dict) -> RiskPoint:
    """修改风险点 (its level changes only through an assessment)."""
    with transaction.atomic():
        point = selectors.access_point(actor, point_pk, for_update=True)
        require(actor, MANAGE, point)
        return _save_point(point, actor=actor, data=data, reason=gettext_lazy("修改风险点"))


def place_point(*, actor, point_pk, x, y) -> RiskPoint:
    """Move the point on the site plan."""
    with transaction.atomic():
        point = selectors.access_point(actor, point_pk, for_update=True)
        require(actor, MANAGE, point)
        return _save_point(point, actor=actor, data={"x": x, "y": y}, reason=gettext_lazy("调整平面图位置"))


def grade(*, method: str, data: dict, variant: str) -> rules.LEC | rules.LS:
    """The LEC or LS result of the inputs (for the live preview and for `assess_point`); DomainError on the
    field at fault."""
    if method == RiskAssessment.Method.LEC:
        for name in ("likelihood", "exposure", "consequence"):
            if data.get(name) in (None, ""):
                raise DomainError(RegisterError.LEC_VALUE, _("请选择 L、E、C 的取值。"), field=name)
        try:
            return rules.lec(data["likelihood"], data["exposure"], data["consequence"])
        except ValueError as exc:
            raise DomainError(
                RegisterError.LEC_VALUE, _("L、E、C 须取评价表中的数值。"), field="likelihood"
            ) from exc
    if method == RiskAssessment.Method.LS:
        try:
            return rules.ls(int(data.get("ls_likelihood")), int(data.get("severity")), variant)
        except (TypeError, ValueError) as exc:
            raise DomainError(
                RegisterError.LS_VALUE, _("L、S 须为 1 至 5 的整数。"), field="ls_likelihood"
            ) from exc
    raise DomainError(RegisterError.METHOD, _("请选择评价方法（LEC 或 LS）。"), field="method")


def assess_point(*, actor, point_pk, data: dict, today: date | None = None) -> RiskAssessment:
    """风险评价: a new assessment by LEC or LS becomes the point's current level; the older ones are kept."""
    today = today or timezone.localdate()
    with transaction.atomic():
        point = selectors.access_point(actor, point_pk, for_update=True)
        require(actor, MANAGE, point)
        method = data.get("method")
        variant = selectors.ls_variant_for(point.enterprise)
        result = grade(method=method, data=data, variant=variant)
        assessed_on = data.get("assessed_on") or today
        if assessed_on > today:
            raise DomainError(
                RegisterError.ASSESSED_IN_FUTURE, _("评价日期不能晚于今天。"), field="assessed_on"
            )
        if point.assessed_on and assessed_on < point.assessed_on:
            raise DomainError(
                RegisterError.ASSESSED_BEFORE_LATEST,
                _("评价日期不能早于最近一次评价（%(day)s）。") % {"day": point.assessed_on},
                field="assessed_on",
            )
        assessment = RiskAssessment(
            point=point,
            method=method,
            assessed_on=assessed_on,
            assessor=actor,
            note=_text(data, "note")[:200],
        )
        if method == RiskAssessment.Method.LEC:
            assessment.likelihood = Decimal(str(data["likelihood"]))
            assessment.exposure = Decimal(str(data["exposure"]))
            assessment.consequence = Decimal(str(data["consequence"]))
            assessment.score, assessment.band = result.D, result.band
        else:
            assessment.likelihood = Decimal(int(data["ls_likelihood"]))
            assessment.severity = int(data["severity"])
            assessment.score, assessment.variant = Decimal(result.R), variant
        assessment.level = result.level
        records.validate(assessment)
        reason = record_text(
            gettext_lazy("风险评价：%(method)s %(score)s，%(level)s"),
            method=assessment.get_method_display(),
            score=rules.plain(assessment.score),
            level=assessment.get_level_display(),
        )
        records.save_with_history(assessment, actor, reason)
        point.level, point.score, point.assessed_on = result.level, assessment.score, assessed_on
        records.save_with_history(point, actor, reason)
    return assessment


def _save_control(control: ControlMeasure, *, actor, data: dict, reason) -> ControlMeasure:
    for name in ("content", "kind", "control_level", "responsible"):
        if name in data:
            setattr(control, name, _text(data, name))
    if not control.content:
        raise DomainError(RegisterError.CONTENT_REQUIRED, _("请填写管控措施。"), field="content")
    if not control.responsible:
        raise DomainError(RegisterError.RESPONSIBLE_REQUIRED, _("请填写责任人。"), field="responsible")
    if control.control_level not in rules.CONTROL_LEVELS:
        raise DomainError(RegisterError.CONTROL_LEVEL, _("请选择管控层级。"), field="control_level")
    records.validate(control)
    records.save_with_history(control, actor, record_text(reason))
    return control


def add_control(*, actor, point_pk, data: dict) -> ControlMeasure:
    """Add a control measure to a point at its 管控层级 (whether the point's controls reach the level its risk
    needs is shown on the point: rules.control_level_sufficient)."""
    with transaction.atomic():
        point = selectors.access_point(actor, point_pk, for_update=True)
        require(actor, MANAGE, point)
        return _save_control(
            ControlMeasure(point=point), actor=actor, data=data, reason=gettext_lazy("添加管控措施")
        )


def update_control(*, actor, control_pk, data: dict) -> ControlMeasure:
    with transaction.atomic():
        control = selectors.access_control(actor, control_pk, for_update=True)
        require(actor, MANAGE, control)
        return _save_control(control, actor=actor, data=data, reason=gettext_lazy("修改管控措施"))


def remove_control(*, actor, control_pk) -> RiskPoint:
    """Remove a control measure and its checks (kept in their history)."""
    with transaction.atomic():
        control = selectors.access_control(actor, control_pk, for_update=True)
        require(actor, MANAGE, control)
        point = control.point
        for check in control.checks.all():
            records.delete_with_history(check, actor, record_text(gettext_lazy("随管控措施删除")))
        records.delete_with_history(control, actor, record_text(gettext_lazy("删除管控措施")))
    return point


def add_check(*, actor, control_pk, data: dict) -> HazardCheck:
    """Add a hazard check (排查项) testing a control: what is checked and how often."""
    with transaction.atomic():
        control = selectors.access_control(actor, control_pk, for_update=True)
        require(actor, MANAGE, control)
        check = HazardCheck(
            control=control, content=_text(data, "content"), frequency=_text(data, "frequency")
        )
        if not check.content:
            raise DomainError(RegisterError.CHECK_CONTENT_REQUIRED, _("请填写排查内容。"), field="content")
        records.validate(check)
        records.save_with_history(check, actor, record_text(gettext_lazy("添加排查项")))
    return check


def remove_check(*, actor, check_pk) -> RiskPoint:
    with transaction.atomic():
        check = selectors.access_check(actor, check_pk, for_update=True)
        require(actor, MANAGE, check)
        point = check.control.point
        records.delete_with_history(check, actor, record_text(gettext_lazy("删除排查项")))
    return point


def upload_site_plan(*, actor, enterprise_pk, image) -> SitePlan:
    """Upload (or replace) the enterprise's site plan: decoded and re-encoded like every picture."""
    require_right(actor, MANAGE)
    with transaction.atomic():
        enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
        require(actor, MANAGE, enterprise)
        accepted = uploads.accept_image(image, field="image")
        with Image.open(io.BytesIO(accepted.read())) as picture:
            width, height = picture.size
        accepted.seek(0)
        plan = SitePlan.objects.select_for_update().filter(enterprise=enterprise).first()
        plan = plan or SitePlan(enterprise=enterprise)
        old = plan.image.name if plan.pk else ""
        plan.image.save(accepted.name, accepted, save=False)
        plan.width, plan.height, plan.uploaded_by = width, height, actor
        records.save_with_history(
            plan,
            actor,
            record_text(gettext_lazy("更换厂区平面图") if old else gettext_lazy("上传厂区平面图")),
        )
    return plan


def set_ls_variant(*, actor, region_pk, variant: str) -> GradingSettings:
    """Set the county's LS (风险矩阵) cut-offs (§5: no national standard; A by default). Later assessments use
    it; earlier ones keep the variant they were made with."""
    require_right(actor, CONFIGURE)
    if variant not in rules.LS_VARIANTS:
        raise DomainError(RegisterError.VARIANT, _("请选择风险矩阵分级标准。"), field="ls_variant")
    with transaction.atomic():
        region = core_selectors.access_region(actor, region_pk)
        if region.level != Region.Level.COUNTY:
            raise DomainError(RegisterError.NOT_A_COUNTY, _("分级标准按县级区划设置。"), field="region")
        records.ensure_region_in_scope(actor, CONFIGURE, region.code)
        settings = GradingSettings.objects.select_for_update().filter(region=region).first()
        settings = settings or GradingSettings(region=region)
        settings.ls_variant = variant
        records.save_with_history(settings, actor, record_text(gettext_lazy("设置风险矩阵分级标准")))
    return settings
