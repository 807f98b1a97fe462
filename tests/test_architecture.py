"""No app uses another app's private names (issue #10, "the module contract").

import-linter sees modules, not names, so this test reads every `.py` under `anlan/` with `ast` and fails on:
- an import of an underscore-named module of another app (`import anlan.core._x`, `from anlan.core._x import y`);
- an import of an underscore-named name from another app (`from anlan.core.services import _validate`);
- an attribute `module._name` on a module imported from another app (`from anlan.core import demo` then
  `demo._bulk(...)`).
Using one's own app's private names is fine; `anlan/<app>/tests` count as that app. Dunder names are public.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "anlan"


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def app_of(module: str) -> str:
    """`anlan.hazards.services` → `hazards`; the project's own modules (`anlan.urls`) → `anlan`."""
    parts = module.split(".")
    if parts[0] != "anlan":
        return ""
    if len(parts) == 1 or not (PACKAGE / parts[1]).is_dir():
        return "anlan"
    return parts[1]


def is_module(module: str) -> bool:
    """Whether a dotted name under anlan is a module or package (not a name defined inside one)."""
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


@dataclass(frozen=True)
class Offence:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


class PrivateUse(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, path: str):
        self.module, self.path = module, path
        self.package = module if is_package else module.rpartition(".")[0]
        self.app = app_of(module)
        self.modules: dict[str, str] = {}  # local name bound to an anlan module → that module
        self.offences: list[Offence] = []

    def foreign(self, module: str) -> bool:
        return module.split(".")[0] == "anlan" and app_of(module) != self.app

    def flag(self, node: ast.AST, what: str) -> None:
        self.offences.append(Offence(self.path, node.lineno, what))

    def private_part(self, module: str) -> str | None:
        return next((part for part in module.split(".")[1:] if is_private(part)), None)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if self.foreign(alias.name) and self.private_part(alias.name):
                self.flag(node, f"import {alias.name}")
            if alias.asname:
                self.modules[alias.asname] = alias.name
            else:
                self.modules[alias.name.split(".")[0]] = alias.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        if not source.startswith("anlan"):
            return
        if self.foreign(source) and self.private_part(source):
            self.flag(node, f"from {source} import …")
        for alias in node.names:
            target = f"{source}.{alias.name}"
            if self.foreign(target) and is_private(alias.name):
                self.flag(node, f"from {source} import {alias.name}")
            if is_module(target):
                self.modules[alias.asname or alias.name] = target

    def dotted(self, node: ast.AST) -> str | None:
        """The anlan module an expression such as `services` or `anlan.core.services` names, if any."""
        if isinstance(node, ast.Name):
            return self.modules.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            if base and is_module(f"{base}.{node.attr}"):
                return f"{base}.{node.attr}"
        return None

    def visit_Attribute(self, node: ast.Attribute) -> None:
        module = self.dotted(node.value)
        if module and is_private(node.attr) and self.foreign(f"{module}.{node.attr}"):
            self.flag(node, f"{module}.{node.attr}")
        self.generic_visit(node)


def offences_in(source: str, module: str, path: str = "<string>", is_package: bool = False) -> list[Offence]:
    visitor = PrivateUse(module, is_package, path)
    visitor.visit(ast.parse(source, filename=path))
    return visitor.offences


def project_offences() -> list[Offence]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT)
        is_package = path.name == "__init__.py"
        parts = relative.with_suffix("").parts
        module = ".".join(parts[:-1] if is_package else parts)
        found += offences_in(path.read_text(encoding="utf-8"), module, str(relative), is_package)
    return found


def test_no_app_uses_another_apps_private_names():
    offences = project_offences()
    assert not offences, "Private names used across apps (make them public API):\n" + "\n".join(
        str(offence) for offence in offences
    )


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        (
            "from anlan.core.services import _validate",
            "anlan.hazards.services",
            ["from anlan.core.services import _validate"],
        ),
        (
            "from anlan.core.filters import regions, _regions",
            "anlan.api.hazards",
            ["from anlan.core.filters import _regions"],
        ),
        ("import anlan.core._private", "anlan.hazards.views", ["import anlan.core._private"]),
        (
            "from anlan.core._private import thing",
            "anlan.hazards.views",
            ["from anlan.core._private import …"],
        ),
        (
            "from ..core.services import _validate",
            "anlan.hazards.services",
            ["from anlan.core.services import _validate"],
        ),
        ("from anlan.core import demo\ndemo._bulk([])", "anlan.hazards.demo", ["anlan.core.demo._bulk"]),
        ("import anlan.core.demo as d\nd._bulk([])", "anlan.hazards.demo", ["anlan.core.demo._bulk"]),
        (
            "import anlan.core.demo\nanlan.core.demo._bulk([])",
            "anlan.hazards.demo",
            ["anlan.core.demo._bulk"],
        ),
    ],
    ids=["name", "one-of-several", "module", "from-module", "relative", "attribute", "alias", "dotted"],
)
def test_the_check_finds_a_private_name_taken_from_another_app(source, module, expected):
    assert [offence.what for offence in offences_in(source, module)] == expected


@pytest.mark.parametrize(
    ("source", "module"),
    [
        ("from anlan.hazards.services import _signs_for", "anlan.hazards.views"),
        ("from . import services\nservices._may_sign(1)", "anlan.inspections.views"),
        ("from anlan.core.services import _validate", "anlan.core.tests.test_services"),
        ("from anlan.core.models import Enterprise\nEnterprise._meta", "anlan.hazards.models"),
        ("from anlan.core.services import __doc__", "anlan.hazards.services"),
        ("from django.db.models import _private", "anlan.hazards.models"),
    ],
    ids=["same-app", "same-app-attribute", "own-tests", "not-a-module", "dunder", "not-anlan"],
)
def test_the_check_allows_private_names_within_one_app_and_outside_anlan(source, module):
    assert offences_in(source, module) == []


# ---------------------------------------------------------------- routes


def _paths(patterns, prefix=""):
    from django.urls import URLPattern, URLResolver

    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _paths(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def test_no_two_routes_share_a_path():
    """Two parts of a module mounting the same path would leave one page unreachable: Django serves the first."""
    from collections import defaultdict

    from django.urls import get_resolver

    names = defaultdict(list)
    for path, name in _paths(get_resolver().url_patterns):
        names[path].append(name)
    assert {path: found for path, found in names.items() if len(found) > 1} == {}
