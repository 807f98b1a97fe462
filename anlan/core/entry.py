"""Entry helpers: the one way to write a form page, a POST action, a filtered list and a transition endpoint.

Views stay thin: they fetch the record through its `access_*` selector, pick a form and call one service.

- `form_page`: GET shows the form, POST validates it and calls the service; a DomainError lands on the form
  beside the field it names; success redirects (an htmx request gets `HX-Location`).
- `post_action`: a POST-only step with a small form (void, lift, dismiss …); the outcome is a message.
- `list_page`: a filtered, id-first paged list; the htmx request gets the table fragment only.
- `transition_patterns` / `transition_view`: one URL per transition of a `TRANSITIONS` table, named
  `<app>:<model>-<transition>`, served by one view; `{% transition_buttons record %}` renders only the
  transitions the user may take now (right, scope and the table's guards), so a refused button is never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.module_loading import import_string
from django.views.decorators.http import require_http_methods

from .errors import DomainError
from .forms import ReasonForm, add_domain_error
from .paging import filtered, page_of, query_without_page
from .permissions import require
from .workflow import Transition, available_transitions, find, illegal_message

PAGE_SIZE = 20


def crumbs(*items) -> list[tuple[str, str]]:
    """Breadcrumbs as (label, url) pairs; the last one has no link."""
    return [(str(label), url) for label, url in items]


def done(request, url: str, message=None) -> HttpResponse:
    """After a successful POST: a flash message and a redirect (HX-Location for an htmx request)."""
    if message:
        messages.success(request, message)
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Location"] = url
        return response
    return redirect(url)


def form_page(
    request,
    *,
    form,
    call: Callable[[dict], object],
    success_url: str | Callable[[object], str],
    template: str,
    context: dict | None = None,
    message=None,
) -> HttpResponse:
    """GET shows `form`; a valid POST calls `call(cleaned_data)` and redirects to `success_url` (a URL or a
    function of the service's result); a DomainError is shown on the form, the user's input kept."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            url = success_url(result) if callable(success_url) else success_url
            return done(request, url, message)
    return render(request, template, {"form": form, **(context or {})})


def titled_form_page(
    request,
    *,
    form,
    call,
    success_url,
    template: str,
    title,
    cancel_url: str,
    crumbs=(),
    message=None,
    multipart: bool = False,
) -> HttpResponse:
    """`form_page` for a page whose heading is `title`: the title, a cancel link and the breadcrumbs
    (`crumbs` then the title) in its context; `multipart` for a form with files."""
    return form_page(
        request,
        form=form,
        call=call,
        success_url=success_url,
        template=template,
        context={
            "title": title,
            "cancel_url": cancel_url,
            "multipart": multipart,
            "breadcrumbs": [(str(label), url) for label, url in (*crumbs, (title, ""))],  # as crumbs()
        },
        message=message,
    )


def post_action(request, *, form, call: Callable[[dict], object], back: str, message, invalid=None):
    """A POST-only step: validate the small form, call the service, go back to `back` with a message."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, message)
    else:
        first = next(iter(form.errors.values()), [invalid or ""])
        messages.error(request, invalid or first[0])
    return redirect(back)


def list_page(
    request,
    *,
    queryset,
    filterset_class,
    template: str,
    fragment: str,
    context: dict | None = None,
    per_page: int = PAGE_SIZE,
) -> HttpResponse:
    """A scoped list: filters (the same filterset serves the export and the API), id-first paging, and
    the table fragment alone for an htmx request (filters and pager swap the table in place)."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    page_context = {
        "filter": filterset,
        "page": page_of(request, filtered(filterset), per_page),
        "query": query_without_page(request),
        **(context or {}),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return render(request, fragment, page_context)
    return render(request, template, page_context)


# ---------------------------------------------------------------- transitions


def transition_url_name(namespace: str, slug: str, transition: Transition) -> str:
    return f"{namespace}:{slug}-{transition.name.replace('_', '-')}"


def transition_patterns(slug: str, table: Iterable[Transition], view: Callable) -> list:
    """One URL per transition: `<pk>/<name>/`, named `<slug>-<name>` (underscores become hyphens)."""
    return [
        path(
            f"<int:pk>/{t.name.replace('_', '-')}/",
            view,
            {"transition": t.name},
            name=f"{slug}-{t.name.replace('_', '-')}",
        )
        for t in table
    ]


def transition_view(
    *,
    access: Callable,
    table: Iterable[Transition],
    perform: Callable,
    detail_url: Callable[[object], str],
    template: str = "components/transition_form.html",
    field: str = "status",
):
    """A view serving every transition of `table` for records fetched by `access(user, pk)`.

    GET shows the transition's form (its `form`, or a reason box when a reason is required); POST validates
    it and calls `perform(user, record, transition, cleaned_data)` — the app's service for that step.
    Transitions the user may not take now are refused before the form is shown (403 without the right,
    404 out of scope through `access`, a message naming the rule when a guard refuses).
    """
    table = tuple(table)

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, pk, transition):
        user = request.user
        record = access(user, pk)
        step = find(table, transition)
        require(user, step.right, record)
        back = detail_url(record)
        if getattr(record, field) not in step.sources:
            messages.error(request, illegal_message(record, step, field))
            return redirect(back)
        refused = step.refusal(record, user)
        if refused is not None:
            messages.error(request, refused.message)
            return redirect(back)
        form_class = import_string(step.form) if step.form else (ReasonForm if step.reason_required else None)
        if form_class is None:
            if request.method != "POST":
                raise Http404
            try:
                perform(user, record, step, {})
            except DomainError as error:
                messages.error(request, error.message)
                return redirect(back)
            return done(request, back, step.label)
        form = form_class(request.POST or None, request.FILES or None)
        return form_page(
            request,
            form=form,
            call=lambda data: perform(user, record, step, data),
            success_url=back,
            template=template,
            context={"record": record, "transition": step, "title": step.label, "cancel_url": back},
            message=step.label,
        )

    return view


def buttons(record, user, table: Iterable[Transition], namespace: str, slug: str, field: str = "status"):
    """The transitions the user may take on the record now, each with its URL (for the template tag)."""
    from django.urls import reverse

    return [
        {"transition": t, "url": reverse(transition_url_name(namespace, slug, t), args=[record.pk])}
        for t in available_transitions(record, user, table, field)
    ]
