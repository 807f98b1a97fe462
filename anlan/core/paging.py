"""Pagination for large scoped lists: page through ids on the index, then load only that page's rows.

`LIMIT 20 OFFSET 19980` on a query with joins makes the database build and throw away 19 980 joined
rows. Asking first for the ids alone lets it walk a covering index (filter + order + rowid); the
twenty rows are then fetched by primary key alone, with their joins and annotations, in the same order.
Counts and page numbers behave exactly as Django's Paginator.

`filtered` and `query_without_page` are the rest of a filtered list's set-up (rows, pager and export links).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode


class IdFirstPaginator(Paginator):
    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in _by_pk(self.object_list, ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def _by_pk(queryset: QuerySet, ids: list) -> QuerySet:
    """The queryset's rows (same joins, annotations) chosen by primary key only.

    Its filters already chose the ids. Repeated, they let SQLite without planner statistics walk the
    filter's index over the whole scope (thousands of entries) instead of twenty primary-key lookups.
    A join a filter added stays, so a row may come twice; the caller keys rows by pk.
    """
    queryset = queryset.order_by()
    queryset.query.where = WhereNode()
    return queryset.filter(pk__in=ids)


def page_of(request, queryset, per_page: int):
    """The requested page (`?page=`), the last one when it is past the end, the first when not a number."""
    return IdFirstPaginator(queryset, per_page).get_page(request.GET.get("page"))


def filtered(filterset, default: QuerySet | None = None) -> QuerySet:
    """The filterset's rows when its input is valid; otherwise `default` (the unfiltered queryset if None)."""
    if filterset.is_bound and filterset.is_valid():
        return filterset.qs
    return filterset.queryset if default is None else default


def query_without_page(request) -> str:
    """The request's query string without `page`: for the pager's links and the export link."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
