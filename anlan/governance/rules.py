"""Pure rules of governance (责任落实). No ORM, no clock.

Sources: ../shared/regulations.md and the seed-map rows the issue names (A1–A9, A11, B7, B10, B11, C12–C14,
D1–D4, H1–H5, I4–I7); each rule names its source in one short comment. Codes are English; each vocabulary is a
module constant of (code, Chinese label) pairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------- assessment (考核)
# The yearly assessment of towns and departments (seed-map H1: 「实行负面清单扣分与重点工作考核量分并行的年度工作考核机制」;
# H2: 「从严实行“一票否决”」). Default arithmetic of issue #17: start from the scheme's base (100); each 负面清单
# rule deducts `points × occurrences` up to its cap; each 重点工作量分 item adds `points × occurrences` up to its
# cap; a manual indicator (台账检查, 现场考核) deducts the confirmed amount up to its cap; the total is kept within
# [0, maximum]; a 一票否决 condition met makes the result vetoed whatever the score.


DEDUCTION = "deduction"
WORKLOAD = "workload"
MANUAL = "manual"
VETO = "veto"
INDICATOR_KINDS = (
    (DEDUCTION, _("负面清单扣分")),
    (WORKLOAD, _("重点工作量分")),
    (MANUAL, _("人工评分（台账检查、现场考核）")),
    (VETO, _("一票否决")),
)
PROCESS = "process"
RESULT = "result"
# 「坚持过程考核与结果考核相结合」 (seed-map H1, S2 L179).
INDICATOR_CATEGORIES = ((PROCESS, _("过程考核")), (RESULT, _("结果考核")))
DEFAULT_BASE = Decimal("100")
ZERO = Decimal("0")


@dataclass(frozen=True)
class AssessmentItem:
    """One indicator as the arithmetic sees it: its code, kind, points per occurrence and cap (None: no cap)."""

    code: str
    kind: str
    points: Decimal = ZERO
    cap: Decimal | None = None


@dataclass(frozen=True)
class AssessmentScheme:
    """The scheme's arithmetic: the base every unit starts from, an optional maximum, the indicators."""

    items: tuple[AssessmentItem, ...]
    base: Decimal = DEFAULT_BASE
    maximum: Decimal | None = None


@dataclass(frozen=True)
class AssessmentFacts:
    """One unit's facts: occurrences per data indicator (deduction, workload, veto) and the confirmed amount
    per manual indicator (points deducted). Missing codes count as 0."""

    occurrences: Mapping[str, int] = field(default_factory=dict)
    manual: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class AssessmentLine:
    """What one indicator did to the score: `points` signed (negative deducts), `capped` when the cap bound."""

    code: str
    kind: str
    occurrences: int
    points: Decimal
    capped: bool


@dataclass(frozen=True)
class AssessmentResult:
    score: Decimal
    vetoed: bool
    deducted: Decimal
    added: Decimal
    lines: tuple[AssessmentLine, ...]
    veto_codes: tuple[str, ...] = ()


def _bounded(raw: Decimal, cap: Decimal | None) -> tuple[Decimal, bool]:
    if cap is not None and raw > cap:
        return cap, True
    return raw, False


def assessment_score(scheme: AssessmentScheme, facts: AssessmentFacts) -> AssessmentResult:
    """The unit's score under the scheme (issue #17's default arithmetic, see the section comment)."""
    lines: list[AssessmentLine] = []
    deducted = added = ZERO
    vetoes: list[str] = []
    for item in scheme.items:
        if item.kind == VETO:
            count = max(int(facts.occurrences.get(item.code, 0)), 0)
            if count:
                vetoes.append(item.code)
            lines.append(AssessmentLine(item.code, item.kind, count, ZERO, False))
            continue
        if item.kind == MANUAL:
            count = 0
            raw = max(Decimal(facts.manual.get(item.code, ZERO)), ZERO)
        else:
            count = max(int(facts.occurrences.get(item.code, 0)), 0)
            raw = item.points * count
        amount, capped = _bounded(raw, item.cap)
        if item.kind == WORKLOAD:
            added += amount
            lines.append(AssessmentLine(item.code, item.kind, count, amount, capped))
        else:
            deducted += amount
            lines.append(AssessmentLine(item.code, item.kind, count, -amount, capped))
    score = scheme.base - deducted + added
    if scheme.maximum is not None:
        score = min(score, scheme.maximum)
    score = max(score, ZERO)
    return AssessmentResult(score, bool(vetoes), deducted, added, tuple(lines), tuple(vetoes))


def rank_key(name: str, result: AssessmentResult) -> tuple:
    """Order of the ranking: non-vetoed before vetoed (一票否决 ranks after every other unit), higher score first,
    ties broken by fewer points deducted (issue #17), then by the unit's name so the order is deterministic."""
    return (result.vetoed, -result.score, result.deducted, name)


def rank(results: Sequence[tuple[str, AssessmentResult]]) -> list[tuple[int, str, AssessmentResult]]:
    """(position, name, result) from 1, in `rank_key` order; every unit has its own position (no shared
    ranks: the tie-breaks make the order total)."""
    ordered = sorted(results, key=lambda pair: rank_key(*pair))
    return [(position, name, result) for position, (name, result) in enumerate(ordered, start=1)]
