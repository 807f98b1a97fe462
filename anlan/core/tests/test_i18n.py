"""Translations: the English catalogue is complete and compiled, and pages follow the chosen language."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from anlan.core import rules

LOCALE = Path(settings.LOCALE_PATHS[0])
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
EN_MO = EN_PO.with_suffix(".mo")
LIST = "core:enterprise-list"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfr]")


@dataclass
class PoEntry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # singular entries use index 0

    @property
    def key(self) -> str:
        """The key of this entry in a compiled catalogue (GNU gettext joins context and id with EOT)."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def parse_po(path: Path) -> list[PoEntry]:
    """A small .po reader (polib is not a dependency): flags, context, ids, plural strings."""
    entries: list[PoEntry] = []
    entry: PoEntry | None = None
    target: tuple[str, int] | None = None
    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, target = None, None
            continue
        if line.startswith("#~"):  # obsolete entry: not part of the catalogue
            continue
        if line.startswith("#,"):
            entry = entry or PoEntry(number)
            if not entries or entries[-1] is not entry:
                entries.append(entry)
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        text_match = keyword.match(line)
        if text_match:
            name, index, literal = text_match.groups()
            if entry is None or (name in ("msgctxt", "msgid") and (entry.msgid or entry.msgstr)):
                entry = PoEntry(number)
                entries.append(entry)
            elif not entries or entries[-1] is not entry:
                entries.append(entry)
            target = (name.split("[")[0], int(index or 0))
            _append(entry, target, ast.literal_eval(literal))
        elif line.startswith('"') and entry is not None and target is not None:
            _append(entry, target, ast.literal_eval(line))
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    return entries


def _append(entry: PoEntry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    else:
        setattr(entry, name, (getattr(entry, name) or "") + text)


@pytest.fixture(scope="module")
def en_entries() -> list[PoEntry]:
    return parse_po(EN_PO)


def messages(entries: list[PoEntry]) -> list[PoEntry]:
    return [e for e in entries if e.msgid != ""]  # the header entry has an empty msgid


# ---------------------------------------------------------------- the catalogue


def test_the_english_catalogue_exists_and_is_not_trivial(en_entries):
    assert len(messages(en_entries)) > 100


def test_every_english_entry_is_translated(en_entries):
    untranslated = [
        (e.line, e.msgid)
        for e in messages(en_entries)
        if not e.msgstr or any(not s.strip() for s in e.msgstr.values())
    ]
    assert untranslated == []


def test_no_english_entry_is_fuzzy(en_entries):
    assert [(e.line, e.msgid) for e in en_entries if "fuzzy" in e.flags] == []


def test_plural_entries_have_both_english_forms(en_entries):
    plurals = [e for e in en_entries if e.msgid_plural is not None]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr) == [0, 1], entry.msgid


def test_translations_keep_the_placeholders(en_entries):
    wrong = []
    for entry in messages(en_entries):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in entry.msgstr.values():
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry.line, entry.msgid, text))
    assert wrong == []


def test_english_translations_contain_no_chinese(en_entries):
    """Industry names are data, not msgids; everything in the catalogue is UI text and must be English."""
    han = re.compile(r"[\u4e00-\u9fff]")
    # The sheet's accepted cell values are the Chinese words themselves (是/否, 2026年3月1日).
    allowed = {
        "“%(v)s”无效：只能填写“是”或“否”。",
        "只能填“是”或“否”；不填为“否”。",
        "日期无法识别：请写作 2026-03-01、2026/3/1、2026.3.1 或 2026年3月1日。",
        "日期“%(v)s”无法识别：请写作 2026-03-01、2026/3/1、2026.3.1 或 2026年3月1日。",
        "日期，如 2026-03-01、2026/3/1 或 2026年3月1日。",
    }
    leftovers = [
        (e.line, e.msgid)
        for e in messages(en_entries)
        if e.msgid not in allowed and any(han.search(s) for s in e.msgstr.values())
    ]
    assert leftovers == []


def test_the_compiled_catalogue_matches_the_po_file(en_entries):
    """The committed .mo is what `compilemessages` makes of the committed .po (not stale, nothing missing).

    Content is compared rather than modification times, which a git checkout does not preserve.
    """
    assert EN_MO.exists(), "run `manage.py compilemessages` and commit the .mo"
    with EN_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected: dict = {}
    for entry in messages(en_entries):
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == expected


def test_rule_messages_are_translated():
    valid = rules.make_uscc("9", "1", "341122", "MA2T0001")
    wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")
    with translation.override("en"):
        with pytest.raises(rules.RuleViolation) as raised:
            rules.validate_uscc("123")
        assert str(raised.value) == "The Unified Social Credit Code must have 18 characters; this one has 3."
        with pytest.raises(rules.RuleViolation) as raised:
            rules.validate_uscc(wrong_check)
        assert str(raised.value) == (
            "Wrong check character in the Unified Social Credit Code: "
            f"character 18 should be {valid[17]}, not {wrong_check[17]}."
        )
    with translation.override("zh-hans"):
        with pytest.raises(rules.RuleViolation) as raised:
            rules.validate_uscc("123")
        assert str(raised.value) == "统一社会信用代码应为18位，当前为3位。"


# ---------------------------------------------------------------- pages


def _english_by_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse(LIST))


def _english_by_header(client):
    return client.get(reverse(LIST), HTTP_ACCEPT_LANGUAGE="en")


def _english_by_switcher(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse(LIST)})
    assert response.status_code == 302
    return client.get(response["Location"])


@pytest.mark.parametrize(
    "choose_english",
    [_english_by_cookie, _english_by_header, _english_by_switcher],
    ids=["cookie", "accept-language", "set-language"],
)
def test_the_enterprise_list_renders_in_english(cast, as_user, choose_english):
    response = choose_english(as_user(cast["county_office"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Enterprises</h1>" in html
    assert "Unified Social Credit Code" in html  # a table heading
    assert "Export to Excel" in html
    assert "生产经营单位" not in html  # neither the heading, the menu nor the breadcrumb
    assert "来安县建工集团有限公司" in html  # data stays as entered


def test_the_enterprise_list_renders_in_chinese_by_default(cast, as_user):
    response = as_user(cast["county_office"]).get(reverse(LIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert ">生产经营单位</h1>" in html
    assert "统一社会信用代码" in html
    assert ">Enterprises</h1>" not in html


def test_choice_labels_and_messages_follow_the_language(cast, as_user):
    client = as_user(cast["county_office"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    detail = client.get(reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])).content.decode()
    assert "Operating" in detail  # Enterprise.Status label
    assert "Change history" in detail
    response = client.post(
        reverse("core:enterprise-status", args=[cast.enterprise_x.pk]),
        {"status": "suspended", "reason": "inspection"},
        follow=True,
    )
    assert "Operating status changed." in response.content.decode()


def test_the_login_page_follows_the_language(client):
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in" in english and "Username" in english
    chinese = client.get(reverse("login")).content.decode()
    assert "登录" in chinese and "Log in" not in chinese
