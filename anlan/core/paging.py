"""Pagination for large scoped lists: page through ids on the index, then load only that page's rows.

`LIMIT 20 OFFSET 19980` on a query with joins makes the database build and throw away 19 980 joined
rows. Asking first for the ids alone lets it walk a covering index (filter + order + rowid); the
twenty rows are then fetched by primary key alone, with their joins and annotations, in the same order.
Counts and page numbers behave exactly as Django's Paginator.

`filtered` and `query_without_page` are the rest of a filtered list's set-up (rows, pager and export links);
`active_filters` gives the chips shown above a list (each removes one filter) and `cleared_query` its 清除 link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.db.models.sql.where import WhereNode
from django.http import QueryDict
from django.utils.translation import gettext as _


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


def query_without(query: str, *keys: str) -> str:
    """A query string without `keys` (a sort link replaces the sort key; a chip's × drops one filter)."""
    params = QueryDict(query, mutable=True)
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


@dataclass(frozen=True)
class Chip:
    """One active filter of a list: its label, its value as the user chose it (the choice's label, the
    record's name, 是/否), and the query string of the same list without it (other filters and sort kept)."""

    label: str
    value: str
    remove_query: str


def active_filters(filterset) -> list[Chip]:
    """The filters a list is narrowed by now, in the filterset's order; the ordering filter is not one."""
    if filterset is None or not filterset.is_bound:
        return []
    form = filterset.form
    form.is_valid()  # cleans once; a value that failed is shown as typed, so it can be removed too
    query = filterset.data.urlencode() if hasattr(filterset.data, "urlencode") else ""
    chips = []
    for name, filter_ in filterset.filters.items():
        if isinstance(filter_, django_filters.OrderingFilter) or name not in form.fields:
            continue
        field = form.fields[name]
        keys = [name, *(name + suffix for suffix in getattr(field.widget, "widgets_names", ()))]
        if name in form.errors:
            value = ", ".join(filterset.data.getlist(name)) if hasattr(filterset.data, "getlist") else ""
        else:
            value = value_label(field, form.cleaned_data.get(name))
        if value:
            chips.append(Chip(str(form[name].label), value, query_without(query, *keys, "page")))
    return chips


def cleared_query(filterset) -> str:
    """The query string of the list with no filter: only its sort is kept."""
    data = getattr(filterset, "data", None)
    params = QueryDict(mutable=True)
    for name, filter_ in getattr(filterset, "filters", {}).items():
        if isinstance(filter_, django_filters.OrderingFilter) and data is not None and data.get(name):
            params.setlist(name, data.getlist(name))
    return params.urlencode()


def value_label(field, value) -> str:
    """A cleaned filter value as the user chose it: a choice's label, a record's name, 是/否, a date; a list
    joined with 、; "" for no value. The chips and the ledgers' title rows (filters.form_in_words) say it so."""
    if value is None or value == "" or (isinstance(value, list | tuple | QuerySet) and not value):
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, list | tuple | QuerySet):
        return "、".join(value_label(field, item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in _flat_choices(field.choices)}
        return str(labels.get(str(value), value))
    return str(value)


def _flat_choices(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield key, label
