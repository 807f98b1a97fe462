"""The module contract: how an app plugs into the kernel without the kernel knowing its name.

An app's `AppConfig` subclasses `ModuleConfig` and writes one method, `contribute(self, c)`, that declares
what it adds through the `Contributions` object `c`: rights, navigation entries, web and API routes,
enterprise-page panels and record-page actions, to-do providers, home cards and cockpit indicators,
enterprise attributes, recipient groups, events and their handlers, taggable models, deadline sweeps,
background job kinds and their schedules, demo steps, header widgets and permission-matrix tables. Callables are given as dotted paths
(imported on first use), so declaring costs nothing at start-up and no app imports another.

`registry()` assembles every installed module's contributions once, in `INSTALLED_APPS` order, the first
time something asks (after the app registry is ready). Adding an app is adding it to `INSTALLED_APPS`;
docs/development.md walks through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


def _resolve(target: str | Callable) -> Callable:
    return import_string(target) if isinstance(target, str) else target


def _holds(user, right: str | None) -> bool:
    if right is None:
        return True
    from .permissions import has_right

    return has_right(user, right)


# ---------------------------------------------------------------- what an app may declare


@dataclass(frozen=True)
class NavEntry:
    """A link in the main navigation; shown to users holding `right` (any right of the list) or, with
    no right, to every signed-in user. `group` puts it in a dropdown (e.g. "registry" → 基础数据)."""

    key: str
    label: Any
    url_name: str
    order: int = 100
    right: str | tuple[str, ...] | None = None
    group: str | None = None
    # The URL namespace (or url_name substring, with "name:") that marks this entry active.
    active: str | None = None


@dataclass(frozen=True)
class Panel:
    """A block of the enterprise page loaded by htmx from `url_name` (which takes the enterprise's `pk`)."""

    key: str
    url_name: str
    order: int = 100
    right: str | None = None


@dataclass(frozen=True)
class RecordAction:
    """A link or button another app adds to a record page (`model` is "app_label.model_name"); the target
    `url_name` takes the record's `pk`, and `right` is checked against the record itself."""

    model: str
    key: str
    label: Any
    url_name: str
    right: str | None = None
    order: int = 100


@dataclass(frozen=True)
class TodoItem:
    """One row of a 待办 on the home page: what it is, the page where it is done, and its deadline if any."""

    title: str
    url: str
    due: Any = None  # a date: the page shows the days left or overdue
    note: str = ""


@dataclass(frozen=True)
class TodoProvider:
    """A kind of 待办: `queryset(user)` gives the rows the user has to act on, `url(user)` the list that shows
    them; the count is `queryset(user).count()`, so nothing on the list is something the user may not do.
    `items(rows, limit)` turns the first `limit` of those rows (most urgent first) into `TodoItem`s."""

    key: str
    label: Any
    queryset: str | Callable
    url: str | Callable
    order: int = 100
    right: str | None = None
    items: str | Callable | None = None

    def first_items(self, rows, limit: int) -> list[TodoItem]:
        """The first `limit` of `rows` (this provider's `rows(user)`, already built) as items."""
        return list(_resolve(self.items)(rows, limit)) if self.items else []

    def visible_to(self, user) -> bool:
        return _holds(user, self.right)

    def rows(self, user):
        return _resolve(self.queryset)(user)

    def link(self, user) -> str:
        return _resolve(self.url)(user)


@dataclass(frozen=True)
class Shortcut:
    """A big button on the home page for a task begun from nothing (上报线索, 登记隐患, 事故快报), shown to
    holders of `right`, in `order`."""

    key: str
    label: Any
    url_name: str
    right: str
    icon: str = "plus-circle"
    order: int = 100

    def visible_to(self, user) -> bool:
        return _holds(user, self.right)


@dataclass(frozen=True)
class HomeSection:
    """A block of the home page: `template` rendered with `context(user)` (a dict; None or empty hides the
    block), shown to holders of `right`, in `order`."""

    key: str
    template: str
    context: str | Callable
    right: str | None = None
    order: int = 100

    def visible_to(self, user) -> bool:
        return _holds(user, self.right)

    def values(self, user) -> dict | None:
        return _resolve(self.context)(user)


@dataclass(frozen=True)
class Indicator:
    """A number for the home page and the cockpit that also yields the query behind it: `queryset(user,
    **params)` is the rows counted, `value(user)` the aggregate over them (a COUNT unless `aggregate`
    names a function of the queryset), `url(user)` the list showing those rows."""

    key: str
    label: Any
    queryset: str | Callable
    url: str | Callable | None = None
    aggregate: str | Callable | None = None
    unit: Any = ""
    order: int = 100
    home: bool = True
    cockpit: bool = True
    # Shown only to holders of this right (its list page needs it); None: to everyone it counts rows for.
    right: str | None = None

    def visible_to(self, user) -> bool:
        return _holds(user, self.right)

    def rows(self, user, **params):
        return _resolve(self.queryset)(user, **params)

    def value(self, user, **params):
        rows = self.rows(user, **params)
        return _resolve(self.aggregate)(rows) if self.aggregate else rows.count()

    def link(self, user) -> str | None:
        return _resolve(self.url)(user) if self.url else None


@dataclass(frozen=True)
class EnterpriseAttribute:
    """A fact about enterprises that another app computes (e.g. the credit colour): `values(ids)` maps
    enterprise ids to values; ids it does not know are absent, and readers take `default` for them."""

    key: str
    label: Any
    values: str | Callable
    default: Any = None


@dataclass(frozen=True)
class Sweep:
    """A deadline sweep `run(*, today, now, stdout=None) -> dict[str, int]`, idempotent and safe with
    several workers; `every` is how often the scheduler runs it."""

    name: str
    path: str
    every: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class JobKind:
    """Background work a user or a schedule can start: `run(job_run) -> dict | None` (core/jobs.py), where
    `job_run` carries the Job row, its params and owner, progress reporting and the result file."""

    name: str
    path: str
    label: Any
    template: str = ""  # shown on the job's page once it has finished (context: job)


@dataclass(frozen=True)
class ImporterSpec:
    """An XLSX import: `path` names `run(*, actor, handle, valid_only, progress=None, **params) -> ImportReport`
    (core/imports.py), which checks each row as a hand entry would; `right` is checked when asked and again
    when a background job runs it."""

    name: str
    path: str
    right: str
    title: Any


@dataclass(frozen=True)
class LedgerSpec:
    """An XLSX ledger (台账) export: `path` names `build(user, params) -> core.exports.Ledger`, scoped to the
    user with `right` (checked when asked and again when a background job runs it)."""

    name: str
    path: str
    right: str
    title: Any


@dataclass(frozen=True)
class Schedule:
    """A job kind run once per period: the slot [start, start + every) begins at local midnight of
    2000-01-01 + `offset` + k × `every`; several schedulers may run, each slot runs once."""

    name: str
    job: str
    every: timedelta
    offset: timedelta = timedelta(0)
    params: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class DemoStep:
    """A step of the demo county build `step(demo)`; steps run after the ones named in `after`."""

    name: str
    path: str
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """Something that happened that other apps may react to; `emit(name, **payload)` calls its handlers
    in registration order, inside the caller's transaction."""

    name: str
    doc: str = ""


# ---------------------------------------------------------------- the collector


@dataclass
class Contributions:
    """Everything the installed modules declared; `c.<kind>(...)` calls in `contribute` fill it."""

    app_label: str = ""
    rights_table: dict[str, frozenset[str]] = field(default_factory=dict)
    right_owner: dict[str, str] = field(default_factory=dict)
    nav_entries: list[NavEntry] = field(default_factory=list)
    nav_groups: dict[str, Any] = field(default_factory=dict)
    url_mounts: list[tuple[str, str]] = field(default_factory=list)
    api_routes: list[tuple[str, str, str]] = field(default_factory=list)
    api_paths: list[str] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    record_actions: list[RecordAction] = field(default_factory=list)
    todos: list[TodoProvider] = field(default_factory=list)
    shortcuts: list[Shortcut] = field(default_factory=list)
    home_sections: list[HomeSection] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    attributes: dict[str, EnterpriseAttribute] = field(default_factory=dict)
    recipient_groups: dict[str, str] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    handlers: dict[str, list[str]] = field(default_factory=dict)
    taggable: set[str] = field(default_factory=set)
    sweeps: dict[str, Sweep] = field(default_factory=dict)
    job_kinds: dict[str, JobKind] = field(default_factory=dict)
    schedules: dict[str, Schedule] = field(default_factory=dict)
    ledgers: dict[str, LedgerSpec] = field(default_factory=dict)
    importers: dict[str, ImporterSpec] = field(default_factory=dict)
    demo_steps: list[DemoStep] = field(default_factory=list)
    header_items: list[tuple[int, str]] = field(default_factory=list)
    hooks: dict[str, str] = field(default_factory=dict)
    matrix_modules: list[str] = field(default_factory=list)

    # -- declarations (called from ModuleConfig.contribute)

    def rights(self, table: dict[str, Iterable[str]]) -> None:
        """Action rights of this app: "app.action" → the roles that hold it."""
        for name, roles in table.items():
            if name in self.rights_table:
                raise ValueError(
                    f"right {name!r} declared twice ({self.right_owner[name]}, {self.app_label})"
                )
            self.rights_table[name] = frozenset(roles)
            self.right_owner[name] = self.app_label

    def nav(self, *entries: NavEntry) -> None:
        self.nav_entries.extend(entries)

    def nav_group(self, key: str, label: Any) -> None:
        """The label of the navigation dropdown `key` (entries join it with `group=key`)."""
        self._unique(self.nav_groups, key, "navigation group")
        self.nav_groups[key] = label

    def urls(self, prefix: str, module: str) -> None:
        """Mount the app's URLconf (which sets `app_name`) under `prefix` ("" for the site root)."""
        self.url_mounts.append((prefix, module))

    def api(self, prefix: str, viewset: str, basename: str) -> None:
        """Register a DRF viewset under /api/v1/<prefix>/ with `basename` (URL names api:<basename>-…)."""
        self.api_routes.append((prefix, viewset, basename))

    def api_urls(self, module_attr: str) -> None:
        """Extra API paths: the dotted path of a list of `path()`s mounted under /api/v1/."""
        self.api_paths.append(module_attr)

    def panel(self, *panels: Panel) -> None:
        self.panels.extend(panels)

    def action(self, *actions: RecordAction) -> None:
        self.record_actions.extend(actions)

    def todo(self, *providers: TodoProvider) -> None:
        self.todos.extend(providers)

    def shortcut(self, *shortcuts: Shortcut) -> None:
        self.shortcuts.extend(shortcuts)

    def home(self, *sections: HomeSection) -> None:
        self.home_sections.extend(sections)

    def indicator(self, *indicators: Indicator) -> None:
        self.indicators.extend(indicators)

    def enterprise_attribute(self, attribute: EnterpriseAttribute) -> None:
        self._unique(self.attributes, attribute.key, "enterprise attribute")
        self.attributes[attribute.key] = attribute

    def recipient_group(self, name: str, path: str) -> None:
        """`path` names `f(**context) -> QuerySet[User]` (context: region, enterprise, department, unit…)."""
        self._unique(self.recipient_groups, name, "recipient group")
        self.recipient_groups[name] = path

    def event(self, name: str, doc: str = "") -> None:
        self._unique(self.events, name, "event")
        self.events[name] = Event(name, doc)

    def on(self, event: str, handler: str) -> None:
        """Call `handler(**payload)` whenever `event` is emitted (events are checked when assembled)."""
        self.handlers.setdefault(event, []).append(handler)

    def taggable_model(self, model_label: str) -> None:
        """Records of this model ("app_label.model_name") may carry record tags (e.g. a campaign's)."""
        self.taggable.add(model_label.lower())

    def sweep(self, name: str, path: str, every: timedelta = timedelta(hours=1)) -> None:
        self._unique(self.sweeps, name, "sweep")
        self.sweeps[name] = Sweep(name, path, every)

    def job(self, name: str, path: str, label: Any, template: str = "") -> None:
        """A kind of background job: `path` names `run(job_run) -> dict | None` (core/jobs.py); `template`
        shows its outcome on the job's page."""
        self._unique(self.job_kinds, name, "job kind")
        self.job_kinds[name] = JobKind(name, path, label, template)

    def ledger(self, name: str, path: str, right: str, title: Any) -> None:
        """An XLSX ledger; a large one runs as a background job (core/exporting.py)."""
        self._unique(self.ledgers, name, "ledger")
        self.ledgers[name] = LedgerSpec(name, path, right, title)

    def importer(self, name: str, path: str, right: str, title: Any) -> None:
        """An XLSX import; a large file runs as a background job (core/importing.py)."""
        self._unique(self.importers, name, "importer")
        self.importers[name] = ImporterSpec(name, path, right, title)

    def schedule(
        self, name: str, job: str, every: timedelta, offset: timedelta = timedelta(0), **params: Any
    ) -> None:
        """Run job kind `job` (with `params`) once every `every`; sweeps are scheduled without this."""
        self._unique(self.schedules, name, "schedule")
        self.schedules[name] = Schedule(name, job, every, offset, tuple(sorted(params.items())))

    def demo(self, name: str, path: str, after: Iterable[str] = ()) -> None:
        self.demo_steps.append(DemoStep(name, path, tuple(after)))

    def header(self, template: str, order: int = 100) -> None:
        """A template included in the page header for signed-in users (e.g. the notification bell)."""
        self.header_items.append((order, template))

    def provide(self, hook: str, path: str) -> None:
        """Fill a named hook another app reads with `provided(hook)` (e.g. the pyramid's hazard layer)."""
        self._unique(self.hooks, hook, "hook")
        self.hooks[hook] = path

    def matrix(self, module: str) -> None:
        """A permission-matrix table: a module with `ROUTES` (and `AUDITED` models)."""
        self.matrix_modules.append(module)

    @staticmethod
    def _unique(table: dict, key: str, kind: str) -> None:
        if key in table:
            raise ValueError(f"{kind} {key!r} declared twice")

    def check(self) -> None:
        """Refuse contributions that cannot work: a handler of an event no installed module declares."""
        unknown = set(self.handlers) - set(self.events)
        if unknown:
            raise ValueError(f"handlers registered for undeclared events: {sorted(unknown)}")
        for schedule in self.schedules.values():
            if schedule.job not in self.job_kinds:
                raise ValueError(f"schedule {schedule.name!r} runs the undeclared job kind {schedule.job!r}")
            if schedule.every <= timedelta(0):
                raise ValueError(f"schedule {schedule.name!r} has no period")

    # -- reading

    @cached_property
    def ordered_demo_steps(self) -> list[DemoStep]:
        """Demo steps in declaration order, each moved after the steps it names (a stable topological sort)."""
        pending = list(self.demo_steps)
        names = {step.name for step in pending}
        for step in pending:
            unknown = set(step.after) - names
            if unknown:
                raise ValueError(f"demo step {step.name!r} runs after unknown steps {sorted(unknown)}")
        done: list[DemoStep] = []
        while pending:
            ready = next((s for s in pending if set(s.after) <= {d.name for d in done}), None)
            if ready is None:
                raise ValueError(f"demo steps wait on each other: {[s.name for s in pending]}")
            done.append(ready)
            pending.remove(ready)
        return done


class ModuleConfig(AppConfig):
    """Base class of every Anlan app's config; override `contribute`."""

    def contribute(self, c: Contributions) -> None:  # pragma: no cover - the default adds nothing
        return None


_registry: Contributions | None = None


def registry() -> Contributions:
    """The assembled contributions of every installed module (built once, after the app registry is ready)."""
    global _registry
    if _registry is None:
        apps.check_apps_ready()
        collected = Contributions()
        for config in apps.get_app_configs():
            if isinstance(config, ModuleConfig):
                collected.app_label = config.label
                config.contribute(collected)
        collected.app_label = ""
        collected.check()
        collected.nav_entries.sort(key=lambda entry: entry.order)
        collected.panels.sort(key=lambda panel: panel.order)
        collected.record_actions.sort(key=lambda action: action.order)
        collected.todos.sort(key=lambda todo: todo.order)
        collected.shortcuts.sort(key=lambda shortcut: shortcut.order)
        collected.home_sections.sort(key=lambda section: section.order)
        collected.indicators.sort(key=lambda indicator: indicator.order)
        collected.header_items.sort()
        _registry = collected
    return _registry


def reset() -> None:
    """Forget the assembled registry (tests that change INSTALLED_APPS call this)."""
    global _registry
    _registry = None


# ---------------------------------------------------------------- kernel-side readers


def emit(event: str, **payload) -> list:
    """Call every handler of `event` with the payload, in registration order; returns their results."""
    contributions = registry()
    if event not in contributions.events:
        raise KeyError(f"event {event!r} is not declared by any installed module")
    return [_resolve(path)(**payload) for path in contributions.handlers.get(event, [])]


def provided(hook: str, default: Callable | None = None) -> Callable | None:
    """The function another module provides for `hook`, or `default` when no installed module does."""
    path = registry().hooks.get(hook)
    return _resolve(path) if path else default


def enterprise_attribute(key: str, enterprise_ids: Iterable[int]) -> dict[int, Any]:
    """`key`'s value for each enterprise id (the attribute's default where no module knows it, or where no
    installed module declares `key` at all: then every value is None)."""
    ids = list(enterprise_ids)
    attribute = registry().attributes.get(key)
    if attribute is None:
        return dict.fromkeys(ids)
    known = _resolve(attribute.values)(ids)
    return {pk: known.get(pk, attribute.default) for pk in ids}


def recipient_group(name: str, **context):
    """The users of a declared recipient group for this context (a QuerySet of users)."""
    path = registry().recipient_groups.get(name)
    if path is None:
        raise KeyError(f"recipient group {name!r} is not declared by any installed module")
    return _resolve(path)(**context)


def is_taggable(model_label: str) -> bool:
    return model_label.lower() in registry().taggable
