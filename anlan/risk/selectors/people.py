"""Scoped reads of the people part: staff, certificates, assessments and training an user may see; a certificate's
state on a day as SQL (the same order as rules.certificate_state) so lists filter and sort in the database; the
supervisors' 证书到期/逾期 list; the enterprise's to-do; the enterprise page's figures; the kernel attribute
`risk.training_in_place` (one aggregate query per chunk of ids); and the accident trace ("was the operator
certified?")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import timezone

from anlan.core.contract import TodoItem
from anlan.core.selectors import IdIn, access

from .. import rules
from ..models import Assessment, Certificate, StaffMember, TrainingRecord

CHUNK = 5000
# The states a supervisor and the enterprise have to act on, worst first.
ATTENTION = (rules.EXPIRED, rules.REVIEW_OVERDUE, rules.EXPIRING, rules.REVIEW_WINDOW)


# ---------------------------------------------------------------- the rules as SQL


def _not_reviewed(prefix: str = "") -> Q:
    """rules.review_done is false: no review on or after the window opened."""
    return Q(**{f"{prefix}last_reviewed_on__isnull": True}) | Q(
        **{f"{prefix}last_reviewed_on__lt": F(f"{prefix}review_window_opens")}
    )


def _mid_term(prefix: str = "") -> Q:
    """A 复审 falls due before the certificate's last day (the 3-year interval)."""
    return Q(**{f"{prefix}review_due__lt": F(f"{prefix}valid_until")})


def state_expression(today: date) -> Case:
    """rules.certificate_state as a CASE over the stored dates (the first matching branch wins, worst first)."""
    horizon = today + timedelta(days=rules.CERTIFICATE_EXPIRY_NOTICE_DAYS)
    return Case(
        When(issued_on__gt=today, then=Value(rules.NOT_YET_VALID)),
        When(valid_until__lt=today, then=Value(rules.EXPIRED)),
        When(_mid_term() & Q(review_due__lt=today) & _not_reviewed(), then=Value(rules.REVIEW_OVERDUE)),
        When(valid_until__lte=horizon, then=Value(rules.EXPIRING)),
        When(
            _mid_term() & Q(review_window_opens__lte=today, review_due__gte=today) & _not_reviewed(),
            then=Value(rules.REVIEW_WINDOW),
        ),
        default=Value(rules.VALID),
        output_field=CharField(),
    )


def valid_on_q(day: date, prefix: str = "") -> Q:
    """rules.certificate_valid_on as a condition: issued, not past its last day, and not past a mid-term 复审 day
    unless reviewed (on or after the window opened) by `day`."""
    p = prefix
    reviewed_by_day = Q(**{f"{p}last_reviewed_on__gte": F(f"{p}review_window_opens")}) & Q(
        **{f"{p}last_reviewed_on__lte": day}
    )
    return Q(**{f"{p}issued_on__lte": day, f"{p}valid_until__gte": day}) & (
        Q(**{f"{p}review_due__isnull": True})
        | Q(**{f"{p}review_due__gte": F(f"{p}valid_until")})
        | Q(**{f"{p}review_due__gte": day})
        | reviewed_by_day
    )


def employed_on_q(day: date, prefix: str = "") -> Q:
    """Staff employed on `day`: hired on or before it (or unknown) and not left before it."""
    return (Q(**{f"{prefix}hired_on__isnull": True}) | Q(**{f"{prefix}hired_on__lte": day})) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": day})
    )


def _superseded() -> Exists:
    """A later certificate of the same holder, kind and category (the renewal replaces the old one)."""
    return Exists(
        Certificate.objects.filter(
            staff=OuterRef("staff"),
            kind=OuterRef("kind"),
            category=OuterRef("category"),
            valid_until__gt=OuterRef("valid_until"),
        )
    )


def dates_of(certificate) -> dict:
    """A certificate's stored dates as the keyword arguments of rules.certificate_state and certificate_valid_on."""
    return {
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "review_due": certificate.review_due,
        "review_window_opens": certificate.review_window_opens,
        "last_reviewed_on": certificate.last_reviewed_on,
    }


def with_state(queryset: QuerySet, today: date) -> QuerySet:
    return queryset.annotate(state=state_expression(today))


# ---------------------------------------------------------------- lists and records


def staff_list(user, action: str | None = None) -> QuerySet[StaffMember]:
    return StaffMember.objects.for_user(user, action).select_related(
        "person", "enterprise", "enterprise__region"
    )


def access_staff(user, pk, *, for_update: bool = False) -> StaffMember:
    return access(
        StaffMember.objects.select_related("person", "enterprise", "enterprise__region"),
        user,
        pk,
        for_update=for_update,
    )


def certificate_list(user, action: str | None = None, today: date | None = None) -> QuerySet[Certificate]:
    today = today or timezone.localdate()
    return with_state(
        Certificate.objects.for_user(user, action).select_related(
            "staff", "staff__person", "enterprise", "enterprise__region"
        ),
        today,
    )


def access_certificate(user, pk, *, for_update: bool = False) -> Certificate:
    return access(
        Certificate.objects.select_related("staff", "staff__person", "enterprise", "enterprise__region"),
        user,
        pk,
        for_update=for_update,
    )


def assessment_list(user) -> QuerySet[Assessment]:
    return Assessment.objects.for_user(user).select_related("staff", "staff__person", "enterprise")


def training_list(user, action: str | None = None) -> QuerySet[TrainingRecord]:
    return (
        TrainingRecord.objects.for_user(user, action)
        .select_related("enterprise")
        .annotate(attendee_count=Count("attendees", distinct=True))
        .order_by("-held_on", "-pk")
    )


def access_training(user, pk, *, for_update: bool = False) -> TrainingRecord:
    return access(TrainingRecord.objects.select_related("enterprise"), user, pk, for_update=for_update)


def attendees_of(training: TrainingRecord) -> QuerySet[StaffMember]:
    return training.attendees.select_related("person").order_by("person__name")


def certificates_of_staff(user, staff: StaffMember, today: date) -> QuerySet[Certificate]:
    return certificate_list(user, today=today).filter(staff=staff).order_by("-valid_until", "-pk")


def assessments_of_staff(user, staff: StaffMember) -> QuerySet[Assessment]:
    return assessment_list(user).filter(staff=staff)


def trainings_of_staff(user, staff: StaffMember) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.for_user(user).filter(attendees=staff).order_by("-held_on", "-pk")


def training_hours_before(staff: StaffMember, start: date, end: date) -> Decimal:
    """学时 the holder attended in [start, end] (the caller has the holder in scope)."""
    total = TrainingRecord.objects.filter(attendees=staff, held_on__gte=start, held_on__lte=end).aggregate(
        total=Sum("hours")
    )["total"]
    return total or Decimal("0")


def current_staff_choices(enterprise) -> QuerySet[StaffMember]:
    """The enterprise's current staff (the caller has the enterprise in scope): the training form's attendees."""
    return (
        StaffMember.objects.filter(enterprise=enterprise, left_on__isnull=True)
        .select_related("person")
        .order_by("person__name")
    )


# ---------------------------------------------------------------- the 证书到期/逾期 list


def attention(user, action: str | None = None, today: date | None = None) -> QuerySet[Certificate]:
    """Certificates in the user's scope in one of the states to act on (expired, 复审 overdue, expiring within 30
    days, in the review window), of staff still employed, not replaced by a later certificate — worst first, one
    query."""
    today = today or timezone.localdate()
    order = Case(
        *[When(state=state, then=Value(i)) for i, state in enumerate(ATTENTION)],
        default=Value(len(ATTENTION)),
    )
    return (
        certificate_list(user, action, today)
        .filter(staff__left_on__isnull=True, state__in=ATTENTION)
        .exclude(_superseded())
        .annotate(severity=order)
        .order_by("severity", "valid_until", "pk")
    )


def _own_enterprise_ids(user) -> list[int]:
    from anlan.core.scope import memberships_of

    return [m.enterprise_id for m in memberships_of(user) if m.enterprise_id]


def own_attention(user) -> QuerySet[Certificate]:
    """The 待办 of an enterprise user: their own enterprise's certificates to act on."""
    ids = _own_enterprise_ids(user)
    if not ids:
        return Certificate.objects.none()
    return attention(user).filter(enterprise_id__in=ids)


def todo_url(user) -> str:
    return reverse("risk:people-certificate-list") + "?attention=true"


STATE_WORDS = {
    rules.EXPIRED: "已过期",
    rules.REVIEW_OVERDUE: "逾期未复审",
    rules.EXPIRING: "30 天内到期",
    rules.REVIEW_WINDOW: "待复审",
    rules.VALID: "有效",
    rules.NOT_YET_VALID: "未生效",
}


def todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=f"{row.staff.person.name}：{row.get_kind_display()} {row.number}（{STATE_WORDS[row.state]}）",
            url=reverse("risk:people-certificate-detail", args=[row.pk]),
            due=row.review_due
            if row.state in (rules.REVIEW_WINDOW, rules.REVIEW_OVERDUE)
            else row.valid_until,
        )
        for row in rows[:limit]
    ]


# ---------------------------------------------------------------- the enterprise page's figures


@dataclass(frozen=True)
class PanelFigures:
    staff: int
    special_operators: int
    certified_operators: int
    expiring: int
    overdue: int
    expired: int
    review_window: int
    training_hours: Decimal
    training_attendances: int
    trainings: int


def panel_figures(user, enterprise, today: date) -> PanelFigures:
    """The figures of the enterprise's panel: current staff, special operators and how many hold a valid 特种作业
    certificate today, the certificates to act on by state, and this year's training (学时 and 人次)."""
    current = StaffMember.objects.for_user(user).filter(enterprise=enterprise, left_on__isnull=True)
    valid_special = Certificate.objects.filter(
        valid_on_q(today), staff=OuterRef("pk"), kind=Certificate.Kind.SPECIAL_OPERATION
    )
    operators = current.filter(is_special_operator=True).aggregate(
        total=Count("pk"), certified=Count("pk", filter=Exists(valid_special))
    )
    states = dict(
        attention(user, today=today)
        .filter(enterprise=enterprise)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    year = TrainingRecord.objects.for_user(user).filter(enterprise=enterprise, held_on__year=today.year)
    hours = year.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    attendances = TrainingRecord.attendees.through.objects.filter(trainingrecord__in=year).count()
    return PanelFigures(
        staff=current.count(),
        special_operators=operators["total"],
        certified_operators=operators["certified"],
        expiring=states.get(rules.EXPIRING, 0),
        overdue=states.get(rules.REVIEW_OVERDUE, 0),
        expired=states.get(rules.EXPIRED, 0),
        review_window=states.get(rules.REVIEW_WINDOW, 0),
        training_hours=hours,
        training_attendances=attendances,
        trainings=year.count(),
    )


# ---------------------------------------------------------------- kernel attribute


def _chunks(ids):
    ids = sorted({int(pk) for pk in ids})
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def training_in_place(enterprise_ids, today: date | None = None) -> dict[int, bool]:
    """`risk.training_in_place`: for enterprises that keep a staff register here, True when every current special
    operator holds a valid 特种作业 certificate today and training was recorded in the last 12 months
    (rules.training_in_place); enterprises without staff records are absent. One query per chunk of ids."""
    from anlan.core.models import Enterprise

    today = today or timezone.localdate()
    since = today - timedelta(days=rules.TRAINING_LOOKBACK_DAYS)
    found: dict[int, bool] = {}
    for chunk in _chunks(enterprise_ids):
        valid_special = Certificate.objects.filter(
            valid_on_q(today), staff=OuterRef("pk"), kind=Certificate.Kind.SPECIAL_OPERATION
        )
        uncertified = StaffMember.objects.filter(
            enterprise=OuterRef("pk"), left_on__isnull=True, is_special_operator=True
        ).filter(~Exists(valid_special))
        trained = TrainingRecord.objects.filter(
            enterprise=OuterRef("pk"), held_on__gte=since, held_on__lte=today
        )
        has_staff = StaffMember.objects.filter(enterprise=OuterRef("pk"))
        rows = (
            Enterprise.objects.filter(IdIn("id", chunk))
            .filter(Exists(has_staff))
            .annotate(uncertified=Exists(uncertified), trained=Exists(trained))
            .values_list("pk", "uncertified", "trained")
        )
        found.update({pk: (not uncertified) and bool(trained) for pk, uncertified, trained in rows})
    return found


# ---------------------------------------------------------------- 持证与培训倒查


@dataclass(frozen=True)
class TracedOperator:
    staff: StaffMember
    certificates: list  # (certificate, held on the day)
    certified: bool


@dataclass(frozen=True)
class Trace:
    day: date
    operators: list[TracedOperator]
    trainings: QuerySet
    since: date

    @property
    def uncertified(self) -> int:
        return sum(1 for row in self.operators if not row.certified)


def accident_trace(enterprise, day: date) -> Trace:
    """For an enterprise and an accident's day (the caller has read the accident in scope): its special operators
    employed that day, each with their 特种作业 certificates and whether one held on that day (rules.certificate_
    valid_on), and its training records in the 12 months before."""
    staff = (
        StaffMember.objects.filter(employed_on_q(day), enterprise=enterprise, is_special_operator=True)
        .select_related("person")
        .order_by("person__name")
    )
    certificates: dict[int, list] = {}
    for cert in Certificate.objects.filter(
        staff__in=staff, kind=Certificate.Kind.SPECIAL_OPERATION, issued_on__lte=day
    ).order_by("-valid_until"):
        held = rules.certificate_valid_on(
            issued_on=cert.issued_on,
            valid_until=cert.valid_until,
            review_due=cert.review_due,
            review_window_opens=cert.review_window_opens,
            last_reviewed_on=cert.last_reviewed_on
            if cert.last_reviewed_on and cert.last_reviewed_on <= day
            else None,
            day=day,
        )
        certificates.setdefault(cert.staff_id, []).append((cert, held))
    operators = [
        TracedOperator(
            staff=s,
            certificates=certificates.get(s.pk, []),
            certified=any(held for _c, held in certificates.get(s.pk, [])),
        )
        for s in staff
    ]
    since = day - timedelta(days=rules.TRAINING_LOOKBACK_DAYS)
    trainings = (
        TrainingRecord.objects.filter(enterprise=enterprise, held_on__gte=since, held_on__lte=day)
        .annotate(attendee_count=Count("attendees", distinct=True))
        .order_by("-held_on")
    )
    return Trace(day=day, operators=operators, trainings=trainings, since=since)
