"""Use cases of the five-colour rating: recompute a region's ratings (a job and a nightly sweep: chunks of
enterprise ids, one query per kind of fact, bulk writes, safe with several workers), recompute one enterprise
(a supervisor's 重新评定), approve one pending change or a batch (the county office), and keep a county's
criteria. Each checks scope and right, applies `rules.five_colour_rating`, and leaves an audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from anlan.core import audit, records
from anlan.core import rules as core_rules
from anlan.core import selectors as core_selectors
from anlan.core.errors import DomainError
from anlan.core.models import Region
from anlan.core.permissions import require, require_right
from anlan.core.selectors import IdIn
from anlan.core.workflow import apply_transition, find

from .. import rules
from ..models import Rating, RatingConfig, RatingHistory
from ..models.rating import APPROVE_RATING, CONFIGURE_RATING, RECOMPUTE_RATING
from ..selectors import rating as selectors
from ..selectors import rating_facts as facts

RECOMPUTE_JOB = "credit.recompute_ratings"
# Enterprises read and written per step: memory stays flat whatever the region's size.
CHUNK = 5000
# Pending ratings approved by one batch request.
BATCH_LIMIT = 500
COUNTY_LENGTH = core_rules.LEVEL_PREFIX_LENGTH[Region.Level.COUNTY]
WRITTEN = ("colour", "reasons", "inputs", "computed_at", "status", "approved_reasons")


class ErrorCode(StrEnum):
    REGION_LEVEL = "rating_config_region_level"
    CONFIG = "rating_config_invalid"
    NOT_COMPUTED = "rating_not_computed"
    NOTHING_PENDING = "rating_nothing_pending"


# ---------------------------------------------------------------- computing


def county_code(region_code: str) -> str:
    return region_code[:COUNTY_LENGTH].ljust(core_rules.REGION_CODE_LENGTH, "0")


def _bounds(region: Region | None) -> tuple[str, str] | None:
    return core_rules.subtree_bounds(region.code, region.level) if region is not None else None


def county_configs() -> dict[str, rules.RatingConfig]:
    """Every county's own criteria (one query; a province has a few hundred counties at most)."""
    return {row.region_id: row.to_rules() for row in RatingConfig.objects.all()}


def config_for(code: str, configs: dict[str, rules.RatingConfig] | None = None) -> rules.RatingConfig:
    """The criteria of the county holding region `code` (issue #18's default when it has set none)."""
    configs = county_configs() if configs is None else configs
    return configs.get(county_code(code), rules.DEFAULT_CONFIG)


def _history(
    rating: Rating, colour: str, previous: str, reasons: list, now: datetime, actor
) -> RatingHistory:
    return RatingHistory(
        rating=rating,
        enterprise_id=rating.enterprise_id,
        event=RatingHistory.Event.COMPUTED,
        colour=colour,
        previous_colour=previous,
        reasons=reasons,
        at=now,
        actor=actor,
    )


def _write(results: dict[int, tuple], *, now: datetime, actor=None) -> dict[str, int]:
    """Store the chunk's results (enterprise id → (RatingResult, facts)) in one transaction.

    Enterprises without a rating get one inserted with its result (`ignore_conflicts`: a concurrent worker may
    insert the same). Then the chunk's ratings are locked; a rating that has no history row yet is new — it gets
    its first history row (computed: "" → colour) and field-history row; of the others, only those whose colour,
    reasons or inputs differ are updated (bulk), with a history row for each change of colour. Two workers on
    the same chunk serialise on the row locks; the second finds nothing left to do."""
    ids = list(results)
    counts = {"rated": len(ids), "changed": 0, "colour_changed": 0}
    # Shared facts and results (_rate) are written out once per chunk, by object id (all held by `results`).
    written: dict[int, object] = {}

    def as_json(value, write):
        if id(value) not in written:
            written[id(value)] = write(value)
        return written[id(value)]

    reason = str(gettext_lazy("重新评定"))
    history_user = actor or audit.system_actor()
    with transaction.atomic():
        known = set(Rating.objects.filter(IdIn("enterprise_id", ids)).values_list("enterprise_id", flat=True))
        fresh_ids = [pk for pk in ids if pk not in known]
        new = []
        for pk in fresh_ids:
            result, found = results[pk]
            new.append(
                Rating(
                    enterprise_id=pk,
                    colour=result.colour,
                    reasons=as_json(result, rules.RatingResult.reasons_json),
                    inputs=as_json(found, facts.facts_json),
                    computed_at=now,
                )
            )
        Rating.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        rows = Rating.objects.select_for_update().filter(IdIn("enterprise_id", ids)).order_by("pk")
        recorded = set()
        if fresh_ids:
            recorded = set(
                RatingHistory.objects.filter(IdIn("enterprise_id", fresh_ids)).values_list(
                    "enterprise_id", flat=True
                )
            )
        created, quiet, loud, history = [], [], [], []
        for rating in rows:
            result, found = results[rating.enterprise_id]
            reasons = as_json(result, rules.RatingResult.reasons_json)
            if rating.enterprise_id in known or rating.enterprise_id in recorded:
                inputs = as_json(found, facts.facts_json)
                if rating.colour == result.colour and rating.reasons == reasons and rating.inputs == inputs:
                    continue
                if rating.colour != result.colour:
                    history.append(_history(rating, result.colour, rating.colour, reasons, now, actor))
                    rating.computed_at = now
                    loud.append(rating)
                else:
                    quiet.append(rating)
                rating.colour, rating.reasons, rating.inputs = result.colour, reasons, inputs
                if rating.approved_colour == result.colour:
                    # Same colour as approved: nothing to approve; the published reasons follow the facts.
                    rating.status, rating.approved_reasons = Rating.Status.APPROVED, reasons
                else:
                    rating.status = Rating.Status.PENDING
            else:
                history.append(_history(rating, rating.colour, "", rating.reasons, now, actor))
                created.append(rating)
        if quiet:
            Rating.objects.bulk_update(quiet, WRITTEN, batch_size=1000)
        if loud:
            bulk_update_with_history(
                loud,
                Rating,
                WRITTEN,
                batch_size=1000,
                default_user=history_user,
                default_change_reason=reason,
                default_date=now,
            )
        if created:
            Rating.history.bulk_history_create(
                created,
                batch_size=1000,
                default_user=history_user,
                default_change_reason=reason,
                default_date=now,
            )
        RatingHistory.objects.bulk_create(history, batch_size=1000)
        counts["changed"] = len(created) + len(quiet) + len(loud)
        counts["colour_changed"] = len(created) + len(loud)
    return counts


def _rate(rows, found, *, today: date, configs: dict[str, rules.RatingConfig]) -> dict[int, tuple]:
    """enterprise id → (RatingResult, RatingFacts), each enterprise rated by its county's criteria. Enterprises
    sharing one facts object (rating_facts) under the same criteria share one result: the rules are pure."""
    rated: dict[int, tuple] = {}
    results: dict[tuple[int, int], rules.RatingResult] = {}
    for pk, region, *_rest in rows:
        f = found.get(pk)
        if f is None:
            continue
        config = config_for(region, configs)
        key = (id(f), id(config))  # both held by `found` and `configs` while this runs
        result = results.get(key)
        if result is None:
            result = results[key] = rules.five_colour_rating(f, config, today=today)
        rated[pk] = (result, f)
    return rated


def _widest_since(today: date, configs: dict[str, rules.RatingConfig]) -> date:
    """The earliest window start over the default and every county's criteria (what the facts must reach)."""
    return min(rules.widest_since(today, c) for c in (rules.DEFAULT_CONFIG, *configs.values()))


def rate_rows(rows, *, today: date, configs: dict[str, rules.RatingConfig]) -> dict[int, tuple]:
    """The results of a few enterprises (`facts.enterprise_rows`), their facts read by id."""
    found = facts.facts_for(rows, today=today, since=_widest_since(today, configs))
    return _rate(rows, found, today=today, configs=configs)


def recompute(
    region: Region | None,
    *,
    today: date,
    now: datetime,
    actor=None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Recompute every rated enterprise of `region` (all regions when None) on `today`. Idempotent: a second
    run over unchanged facts writes nothing. Each fact's query runs once for the region, read in step with the
    chunks of enterprises (rating_facts.chunks_with_facts); each chunk is written in its own transaction."""
    totals = {"rated": 0, "changed": 0, "colour_changed": 0}
    configs = county_configs()
    walk = facts.chunks_with_facts(
        _bounds(region), today=today, since=_widest_since(today, configs), size=chunk
    )
    for rows, found in walk:
        counts = _write(_rate(rows, found, today=today, configs=configs), now=now, actor=actor)
        for key, value in counts.items():
            totals[key] += value
        if progress:
            progress(totals["rated"])
    return totals


def recompute_job(job_run) -> dict:
    """Job `credit.recompute_ratings`: params {"region": code} (a county or any region), or none: every region
    the owner manages (all regions for a scheduled run)."""
    code = job_run.params.get("region")
    owner = job_run.owner
    if code:
        regions = [Region.objects.get(pk=code)]
    elif owner is not None and not owner.is_superuser:
        regions = core_selectors.managed_region_roots(owner)
    else:
        regions = [None]
    totals: dict[str, int] = {}
    for region in regions:
        counts = recompute(
            region,
            today=timezone.localdate(),
            now=timezone.now(),
            actor=owner,
            progress=lambda done: job_run.progress(done),
        )
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    return totals


def sweep(*, today: date, now: datetime, stdout=None) -> dict[str, int]:
    """The nightly recompute of every region (c.sweep, every 24 hours)."""
    return recompute(None, today=today, now=now)


def start_recompute(*, actor, region_code: str | None = None):
    """重新评定（全部）: a job over the actor's region (the county office), run by the workers."""
    require_right(actor, CONFIGURE_RATING)
    params = {}
    if region_code:
        records.ensure_region_in_scope(actor, CONFIGURE_RATING, region_code)
        params["region"] = region_code
    from anlan.core import jobs

    return jobs.enqueue(RECOMPUTE_JOB, owner=actor, label=_("重新评定五色"), params=params)


def recompute_enterprise(*, actor, enterprise_pk: int, today: date | None = None) -> Rating:
    """重新评定 one enterprise now (a supervisor in scope): its rating is computed like the job's, and the
    request is recorded on the rating's history even when nothing changed."""
    enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
    require(actor, RECOMPUTE_RATING, enterprise)
    today = today or timezone.localdate()
    now = timezone.now()
    rows = facts.enterprise_rows([enterprise.pk])
    if not rows:
        raise DomainError(ErrorCode.NOT_COMPUTED, _("该企业已关闭或注销，不参与五色评定。"), field="__all__")
    with transaction.atomic():
        _write(rate_rows(rows, today=today, configs=county_configs()), now=now, actor=actor)
        rating = Rating.objects.get(enterprise_id=enterprise.pk)
        records.record_change(rating, actor, str(gettext_lazy("重新评定")))
        post_save.send(sender=Rating, instance=rating, created=False, update_fields=None, raw=False)
    return rating


# ---------------------------------------------------------------- approval


def _approve(actor, rating: Rating, now: datetime) -> Rating:
    if not rating.colour:
        raise DomainError(ErrorCode.NOT_COMPUTED, _("尚未评定，不能审定。"), field="__all__")
    previous = rating.approved_colour
    apply_transition(
        rating,
        find(Rating.TRANSITIONS, "approve"),
        actor=actor,
        changes={
            "approved_colour": rating.colour,
            "approved_reasons": rating.reasons,
            "approved_at": now,
            "approved_by": actor,
        },
    )
    RatingHistory.objects.create(
        rating=rating,
        enterprise_id=rating.enterprise_id,
        event=RatingHistory.Event.APPROVED,
        colour=rating.colour,
        previous_colour=previous,
        reasons=rating.reasons,
        at=now,
        actor=actor,
    )
    return rating


def approve_rating(*, actor, rating_pk: int) -> Rating:
    """审定 one pending rating: its computed colour becomes the published one."""
    with transaction.atomic():
        rating = selectors.access_rating(actor, rating_pk, for_update=True)
        require(actor, APPROVE_RATING, rating)
        return _approve(actor, rating, timezone.now())


def approve_ratings(*, actor, rating_pks: list[int] | None = None) -> int:
    """批量审定: the pending ratings the actor may approve (those of `rating_pks` if given), at most
    BATCH_LIMIT a request; returns how many were approved."""
    require_right(actor, APPROVE_RATING)
    now = timezone.now()
    with transaction.atomic():
        pending = selectors.pending_for(actor, APPROVE_RATING).exclude(colour="")
        if rating_pks is not None:
            pending = pending.filter(pk__in=rating_pks)
        rows = list(pending.select_for_update().order_by("pk")[:BATCH_LIMIT])
        if not rows:
            raise DomainError(ErrorCode.NOTHING_PENDING, _("没有待审定的评定。"), field="__all__")
        for rating in rows:
            _approve(actor, rating, now)
    return len(rows)


# ---------------------------------------------------------------- the county's criteria


def save_config(*, actor, region_code: str, data: dict) -> RatingConfig:
    """修改五色评定标准 of a county (its 安委办/应急管理局)."""
    require_right(actor, CONFIGURE_RATING)
    region = Region.objects.filter(pk=region_code).first()
    if region is None or region.level != Region.Level.COUNTY:
        raise DomainError(ErrorCode.REGION_LEVEL, _("五色评定标准按县级区划设置。"), field="region")
    records.ensure_region_in_scope(actor, CONFIGURE_RATING, region.code)
    with transaction.atomic():
        config = RatingConfig.objects.select_for_update().filter(region=region).first()
        config = config or RatingConfig(region=region)
        config.updated_by = actor
        for name in RatingConfig.FIELDS:
            if name in data and data[name] is not None:
                setattr(config, name, data[name])
        try:
            config.to_rules()
        except ValueError as exc:
            raise DomainError(ErrorCode.CONFIG, _("评定标准的取值超出范围。"), field="__all__") from exc
        records.validate(config)
        records.save_with_history(config, actor, gettext_lazy("修改五色评定标准"))
        return config
