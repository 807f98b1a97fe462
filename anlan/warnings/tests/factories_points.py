"""Points for tests: a geohazard point in town A's village with its monitor, a reservoir in town B."""

from __future__ import annotations

from anlan.warnings.services import points as services


def geohazard(cast, **overrides):
    data = {
        "name": "东关社区后山滑坡",
        "kind": "geohazard",
        "subtype": "滑坡",
        "region": cast.village_a,
        "place": "东关社区三组后山",
        "households": 5,
        "people": 17,
        "monitor_name": "王建国",
        "monitor_phone": "13700000001",
        "owner_unit": "新安镇人民政府",
        "owner_name": "李立新",
        "owner_phone": "0550-5012345",
        **overrides,
    }
    return services.register(actor=cast["county_office"], data=data)


def reservoir(cast, **overrides):
    data = {
        "name": "王庄水库",
        "kind": "reservoir",
        "subtype": "小（二）型水库",
        "region": cast.village_b,
        "households": 0,
        "people": 0,
        "monitor_name": "赵春生",
        "monitor_phone": "13800000002",
        **overrides,
    }
    return services.register(actor=cast["county_office"], data=data)


def png_upload(name: str = "site.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def patrols(cast, **warning_overrides):
    """A rainstorm warning for town A issued over a geohazard point: its 雨前排查 and 雨中巡查 (the event's handler
    run directly: tests never commit, so on_commit handlers do not fire by themselves)."""
    from anlan.warnings.models import Patrol
    from anlan.warnings.tests.factories import issued

    geohazard(cast)
    warning = issued(cast, region=cast.town_a, **warning_overrides)
    services.on_warning_issued(warning)
    return warning, list(Patrol.objects.filter(warning=warning).order_by("stage"))


def open_patrol(cast):
    return patrols(cast)[1][0]


def done_patrol(cast):
    patrol = open_patrol(cast)
    services.report_patrol(
        actor=cast["town_a"], patrol_pk=patrol.pk, data={"findings": "坡体稳定", "photo": png_upload()}
    )
    return patrol
