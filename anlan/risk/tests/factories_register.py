"""Risk registers for tests: points of enterprise X (town A's village, construction — housing's industry, grid A),
made through the services as enterprise X's user does."""

from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anlan.risk.services import register as services

_numbers = iter(range(1, 10**6))


def point_data(**overrides) -> dict:
    return {
        "name": f"风险点{next(_numbers):04d}",
        "kind": "equipment",
        "location": "1号厂房",
        "hazard_factors": "储罐超压、可燃气体泄漏",
        "accident_types": ["08", "17"],
        **overrides,
    }


def point(cast, enterprise=None, **overrides):
    enterprise = enterprise or cast.enterprise_x
    return services.create_point(
        actor=cast["enterprise_x"], enterprise_pk=enterprise.pk, data=point_data(**overrides)
    )


def lec_data(L="6", E="6", C="15", **extra) -> dict:
    return {"method": "lec", "likelihood": L, "exposure": E, "consequence": C, **extra}


def ls_data(L=3, S=3, **extra) -> dict:
    return {"method": "ls", "ls_likelihood": L, "severity": S, **extra}


def assessed_point(cast, data=None, *, today: date | None = None, **overrides):
    made = point(cast, **overrides)
    services.assess_point(actor=cast["enterprise_x"], point_pk=made.pk, data=data or lec_data(), today=today)
    made.refresh_from_db()
    return made


def control(cast, made=None, **overrides):
    made = made or point(cast)
    data = {
        "content": "安装可燃气体报警仪并与切断阀联锁",
        "kind": "engineering",
        "control_level": "workshop",
        "responsible": "张工",
        **overrides,
    }
    return services.add_control(actor=cast["enterprise_x"], point_pk=made.pk, data=data)


def check(cast, made_control=None, **overrides):
    made_control = made_control or control(cast)
    data = {"content": "检查报警仪是否在线", "frequency": "daily", **overrides}
    return services.add_check(actor=cast["enterprise_x"], control_pk=made_control.pk, data=data)


def png(name="plan.png", size=(400, 300)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (240, 240, 240)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


def site_plan(cast, enterprise=None):
    enterprise = enterprise or cast.enterprise_x
    return services.upload_site_plan(actor=cast["enterprise_x"], enterprise_pk=enterprise.pk, image=png())
