"""Template filters used across Anlan's pages (loaded as a builtin)."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from anlan.core.cards import label_cells
from anlan.core.paging import active_filters, cleared_query, query_without
from anlan.core.rules import mask_id_number as _mask_id_number
from anlan.core.rules import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    return _mask_phone(value or "")


@register.filter
def mask_id_number(value: str) -> str:
    return _mask_id_number(value or "")


@register.simple_tag
def map_tile_url() -> str:
    """The map tile URL template (ANLAN_MAP_TILE_URL), or '': a map then draws its points on a plain
    background (no request leaves the site)."""
    return settings.ANLAN_MAP_TILE_URL


def _options(choices, selected) -> str:
    # Nothing chosen marks no option: the browser shows the first one (全部).
    selected = None if selected in (None, "") else str(selected)
    return mark_safe(
        "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == selected else ""}>{escape(label)}</option>'
            for value, label in choices
        )
    )


INDENT = "　"  # an ideographic space per level below the county


@register.simple_tag
def region_options(bound_field) -> str:
    """The <option>s of a region filter (its queryset, indented by level), built in one pass in Python:
    a list page renders hundreds of them and a template loop would cost more than the page's query."""
    rows = bound_field.field.queryset.values_list("code", "name", "level")
    return _options(
        ((code, INDENT * max(level - 3, 0) + name) for code, name, level in rows), bound_field.value()
    )


@register.simple_tag
def industry_options(industries, bound_field) -> str:
    """The <option>s of an industry filter from `selectors.industry_tree()` (sub-industries indented)."""
    return _options(
        ((i.pk, INDENT * min(getattr(i, "depth", 0), 1) + i.name) for i in industries), bound_field.value()
    )


@register.simple_tag
def choice_options(bound_field) -> str:
    """The <option>s of a choice filter, its empty choice shown as “全部” (all)."""
    return _options(
        ((value, label if value else _("全部")) for value, label in bound_field.field.choices),
        bound_field.value(),
    )


@register.simple_tag
def boolean_options(bound_field) -> str:
    """The <option>s of a yes/no filter: 全部 (either), 是, 否.

    Once the form is validated, its value is True/False/None rather than the "true"/"false" of the URL.
    """
    value = bound_field.value()
    value = {True: "true", False: "false"}.get(value, value)
    return _options((("", _("全部")), ("true", _("是")), ("false", _("否"))), value)


@register.simple_tag
def kept_filters(filterset, shown: str, oob: bool = False) -> str:
    """Hidden inputs for the list's active filters its form does not show (the sort, a to-do, an enterprise
    from a link): changing a shown filter keeps them, so the rows, the pager and the export link answer the
    same query. `shown` names the form's own fields, space-separated. The table fragment sends them again
    out of band (`oob=True`), so a sort chosen in the table is the one the form sends next."""
    data = filterset.data
    visible = set(shown.split())
    inputs = (
        format_html('<input type="hidden" name="{}" value="{}">', name, value)
        for name in filterset.filters
        if name not in visible and hasattr(data, "getlist")
        for value in data.getlist(name)
        if value != ""
    )
    return format_html(
        '<span id="kept-filters"{}>{}</span>',
        mark_safe(' hx-swap-oob="true"') if oob else "",
        mark_safe("".join(inputs)),
    )


@register.simple_tag(takes_context=True)
def nav_active(context, entry) -> str:
    """ " active" when the current page belongs to a navigation entry (its namespace, or "name:<part>" of
    the URL name)."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None or not entry.active:
        return ""
    if entry.active.startswith("name:"):
        hit = entry.active[5:] in (match.url_name or "")
    else:
        hit = match.app_name == entry.active
    return " active" if hit else ""


@register.inclusion_tag("components/transition_buttons.html", takes_context=True)
def transition_buttons(context, record, namespace: str, slug: str, table=None, field: str = "status"):
    """The buttons of the transitions the user may take on `record` now (right, scope and guards); a step
    with a form links to it, one without posts directly (asking for confirmation where the table says so)."""
    from anlan.core.entry import buttons

    request = context.get("request")
    table = table if table is not None else type(record).TRANSITIONS
    return {
        "buttons": buttons(record, request.user, table, namespace, slug, field),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("components/record_actions.html", takes_context=True)
def record_actions(context, record):
    """Links other modules add to this record's page (`c.action(RecordAction(...))`), each shown only to a
    user who may take it on this record (its right, within scope)."""
    from anlan.core.contract import registry
    from anlan.core.permissions import can

    user = context["request"].user
    label = record._meta.label_lower
    actions = [
        {"action": action, "url": reverse(action.url_name, args=[record.pk])}
        for action in registry().record_actions
        if action.model == label and (action.right is None or can(user, action.right, record))
    ]
    return {"actions": actions}


@register.simple_tag
def days_left(due, today):
    """A deadline as a badge: 剩 N 天, 今天到期 or 逾期 N 天 (red when overdue, amber within three days)."""
    days = (due - today).days
    if days < 0:
        text, style = _("逾期 %(n)d 天") % {"n": -days}, "text-bg-danger"
    elif days == 0:
        text, style = _("今天到期"), "text-bg-danger"
    else:
        text, style = _("剩 %(n)d 天") % {"n": days}, "text-bg-warning" if days <= 3 else "text-bg-light"
    return format_html(
        '<span class="badge {} text-nowrap" title="{}" data-testid="days-left">{}</span>',
        style,
        due.isoformat(),
        text,
    )


@register.filter
def without(query: str, key: str) -> str:
    """A query string without `key` (a sort link replaces the sort key instead of adding a second one)."""
    return query_without(query, key)


@register.filter
def styled(bound_field):
    """A filter's widget with Bootstrap's small control classes (a select, a check box or a text input)."""
    kind = getattr(bound_field.field.widget, "input_type", "select")
    css = {"select": "form-select form-select-sm", "checkbox": "form-check-input"}.get(
        kind, "form-control form-control-sm"
    )
    return bound_field.as_widget(attrs={"class": css})


@register.tag
def cardtable(parser, token):
    """`{% cardtable %}<table>…</table>{% endcardtable %}`: a list table that reads as cards on a phone (each
    cell labelled by its column header, see core/cards.py). `{% cardtable title=2 %}` when the record's title
    is not the first column."""
    bits = token.split_contents()[1:]
    title = 1
    for bit in bits:
        name, _sep, value = bit.partition("=")
        if name != "title" or not value.isdigit():
            raise template.TemplateSyntaxError("cardtable takes only title=<column number>")
        title = int(value)
    nodelist = parser.parse(("endcardtable",))
    parser.delete_first_token()
    return CardTableNode(nodelist, title)


class CardTableNode(template.Node):
    def __init__(self, nodelist, title: int):
        self.nodelist = nodelist
        self.title = title

    def render(self, context):
        return mark_safe(label_cells(self.nodelist.render(context), self.title))


@register.tag
def filterform(parser, token):
    """`{% filterform target="#x-table" %}<div class="col…">…fields…</div>{% endfilterform %}`: a list's
    filter form (GET), with 查询 and 清除; inline above the list on a computer, behind a “筛选 (n)” button in a
    bottom panel on a phone. With `target`, htmx swaps that element (the table fragment) as filters change.
    With `shown="q region …"` (the form's own fields), the active filters the form does not show, the sort
    among them, ride along as {% kept_filters %}; without it, only the sort does."""
    kwargs = {}
    for bit in token.split_contents()[1:]:
        name, _sep, value = bit.partition("=")
        if name not in ("target", "action", "shown"):
            raise template.TemplateSyntaxError("filterform takes target=, action= and shown=")
        kwargs[name] = parser.compile_filter(value)
    nodelist = parser.parse(("endfilterform",))
    parser.delete_first_token()
    return FilterFormNode(nodelist, kwargs)


class FilterFormNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        filterset = context.get("filter")
        request = context.get("request")
        fields = self.nodelist.render(context)
        shown = values.get("shown")
        return render_to_string(
            "components/filter_form.html",
            {
                "fields": fields,
                "target": values.get("target"),
                "action": values.get("action") or (request.path if request else ""),
                "count": len(active_filters(filterset)),
                "clear_query": cleared_query(filterset),
                "kept": kept_filters(filterset, shown) if shown is not None else "",
                "sort": request.GET.get("sort", "") if request and shown is None else "",
                "has_q": bool(filterset is not None and "q" in filterset.form.fields),
            },
            request=request,
        )


@register.inclusion_tag("components/filter_chips.html", takes_context=True)
def filter_chips(context):
    """The active filters of the list above it, as chips whose × removes that filter alone (the others and
    the sort stay); on an htmx swap, also the count on the phone's 筛选 button."""
    filterset = context.get("filter")
    request = context.get("request")
    chips = active_filters(filterset)
    return {
        "chips": chips,
        "clear_query": cleared_query(filterset),
        "swap_count": filterset is not None and bool(getattr(request, "htmx", False)),
    }
