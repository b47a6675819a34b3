"""Pages of accounts: the accounts and roles of the actor's place, one account's roles, the signed-in
person's own tokens and roles, the audit trail, and the password change. Each view reads the request,
calls one function of :mod:`jieneng.accounts.services` (or :mod:`.trail`) and renders; an account or
role outside the actor's place answers 404, a page needing a capability the actor lacks answers 403."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jieneng.accounts import services, trail
from jieneng.accounts.forms import (
    CAPABILITY_LABELS,
    CAPABILITY_NAMES,
    AccountForm,
    AuditFilter,
    GrantForm,
    TokenForm,
    UserSearch,
)
from jieneng.accounts.models import ApiToken, Membership
from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.roles import Role, capabilities, grantable
from jieneng.accounts.scope import Scope

USERS_PER_PAGE = 50
NO_STORE = "no-store"


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)


def _needs_users(request: SignedInRequest) -> HttpResponse | None:
    if request.scope.can("users"):
        return None
    return _forbidden(
        request, _("Only account administrators of an office or a department may manage accounts.")
    )


def _roles_anywhere(scope: Scope) -> list[str]:
    """The roles the actor may give somewhere (the choices of the role lists)."""
    if scope.everything:
        return list(Role.values)
    allowed: set[str] = set()
    for node in scope.nodes:
        if "users" in capabilities(node.role):
            allowed |= grantable(node.role)
    return [r for r in Role.values if r in allowed]


def _my_places(scope: Scope) -> list[Any]:
    return [n for n in scope.nodes if "users" in capabilities(n.role)]


def _grant_form(request: SignedInRequest, data: Any = None, cls: type[GrantForm] = GrantForm) -> GrantForm:
    return cls(data, roles=_roles_anywhere(request.scope), lookup_url=reverse("accounts:place"))


# --- accounts and roles -------------------------------------------------------------------------------


@login_required
@require_GET
def users(request: SignedInRequest) -> HttpResponse:
    if refused := _needs_users(request):
        return refused
    scope = request.scope
    search = UserSearch(request.GET)
    rows = services.visible_users(scope)
    if search.is_valid() and search.cleaned_data["q"]:
        q = search.cleaned_data["q"]
        rows = rows.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    inside = services.visible_memberships(scope).select_related("region", "organisation")
    rows = rows.annotate(n_roles=Count("memberships", distinct=True)).prefetch_related(
        Prefetch("memberships", queryset=inside, to_attr="inside")
    )
    page = Paginator(rows.order_by("username"), USERS_PER_PAGE).get_page(request.GET.get("page"))
    for person in page.object_list:
        # django-stubs loses the annotations (n_roles, the prefetch's inside) through Paginator's type
        # parameter; elsewhere is an attribute for the template
        person.elsewhere = person.n_roles - len(person.inside)  # type: ignore[attr-defined]
    return render(request, "accounts/users.html", {"page": page, "search": search, "tab": "users"})


@login_required
def user_new(request: SignedInRequest) -> HttpResponse:
    if refused := _needs_users(request):
        return refused
    scope = request.scope
    form = _grant_form(request, request.POST if request.method == "POST" else None, AccountForm)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            place = services.place_for(scope, data["place"])
            user, generated = services.create_account(
                scope,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password"] or None,
                role=data["role"],
                place=place,
                note=data["note"],
            )
        except services.Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            if generated is None:
                messages.success(request, _("Account %(name)s created.") % {"name": user.get_username()})
                return redirect("accounts:user", pk=user.pk)
            response = render(
                request, "accounts/user_created.html", {"person": user, "password": generated, "tab": "users"}
            )
            response["Cache-Control"] = NO_STORE
            return response
    return render(
        request,
        "accounts/user_new.html",
        {"form": form, "my_places": _my_places(scope), "tab": "users"},
    )


def _visible_user(request: SignedInRequest, pk: int) -> User:
    return get_object_or_404(services.visible_users(request.scope), pk=pk)


def _user_page(
    request: SignedInRequest, person: User, form: GrantForm | None = None, status: int = 200
) -> HttpResponse:
    scope = request.scope
    inside = list(
        services.visible_memberships(scope)
        .filter(user=person)
        .select_related("region", "organisation", "created_by")
    )
    rows = []
    for membership in inside:
        place = services.Place(region=membership.region, organisation=membership.organisation)
        rows.append({"m": membership, "revocable": membership.role in services.grantable_roles(scope, place)})
    context = {
        "person": person,
        "rows": rows,
        "elsewhere": Membership.objects.filter(user=person).count() - len(inside),
        "form": form or _grant_form(request),
        "my_places": _my_places(scope),
        "locked": services.is_locked(person),
        "cooloff": settings.AXES_COOLOFF_TIME,
        "myself": person.pk == request.user.pk,
        "tab": "users",
    }
    return render(request, "accounts/user.html", context, status=status)


@login_required
@require_GET
def user(request: SignedInRequest, pk: int) -> HttpResponse:
    if refused := _needs_users(request):
        return refused
    return _user_page(request, _visible_user(request, pk))


@login_required
@require_POST
def grant(request: SignedInRequest, pk: int) -> HttpResponse:
    if refused := _needs_users(request):
        return refused
    person = _visible_user(request, pk)
    scope = request.scope
    form = _grant_form(request, request.POST)
    if form.is_valid():
        try:
            place = services.place_for(scope, form.cleaned_data["place"])
            membership = services.grant(
                scope, person, form.cleaned_data["role"], place, form.cleaned_data["note"]
            )
        except services.Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(
                request,
                _("%(user)s is now %(role)s at %(place)s.")
                % {"user": person.get_username(), "role": membership.get_role_display(), "place": place.name},
            )
            return redirect("accounts:user", pk=person.pk)
    return _user_page(request, person, form, status=400)


@login_required
@require_POST
def revoke(request: SignedInRequest, pk: int, membership: int) -> HttpResponse:
    if refused := _needs_users(request):
        return refused
    scope = request.scope
    found = get_object_or_404(
        services.visible_memberships(scope).select_related("user", "region", "organisation"),
        pk=membership,
        user_id=pk,
    )
    try:
        services.revoke(scope, found)
    except services.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("The role %(role)s at %(place)s was taken back from %(user)s.")
            % {
                "role": found.get_role_display(),
                "place": found.region or found.organisation,
                "user": found.user.get_username(),
            },
        )
    if services.visible_users(scope).filter(pk=pk).exists():
        return redirect("accounts:user", pk=pk)
    return redirect("accounts:users")


@login_required
@require_POST
def set_active(request: SignedInRequest, pk: int) -> HttpResponse:
    if refused := _needs_users(request):
        return refused
    person = _visible_user(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(request.scope, person, active)
    except services.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        done = _("Account %(user)s can sign in again.") if active else _("Account %(user)s is deactivated.")
        messages.success(request, done % {"user": person.get_username()})
    return redirect("accounts:user", pk=pk)


@login_required
@require_POST
def unlock(request: SignedInRequest, pk: int) -> HttpResponse:
    if refused := _needs_users(request):
        return refused
    person = _visible_user(request, pk)
    try:
        services.unlock(request.scope, person)
    except services.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(user)s may sign in again now.") % {"user": person.get_username()})
    return redirect("accounts:user", pk=pk)


@login_required
@require_GET
def place(request: SignedInRequest) -> HttpResponse:
    """The name of the place typed in a place field, and the roles the actor may give there (htmx)."""
    if not request.scope.can("users"):
        return HttpResponse(status=403)
    text = request.GET.get("place", "")
    found = services.find_place(text)
    roles = services.grantable_roles(request.scope, found) if found else []
    context = {
        "text": text.strip(),
        "found": found if roles else None,
        "roles": [Role(r).label for r in roles],
    }
    return render(request, "accounts/_place.html", context)


# --- the signed-in person's own tokens and roles -----------------------------------------------------


def _tokens_page(
    request: SignedInRequest, form: TokenForm, secret: str | None = None, status: int = 200
) -> HttpResponse:
    scope = request.scope
    now = timezone.now()
    context = {
        "form": form,
        "secret": secret,
        "tokens": [
            {
                "token": t,
                "capabilities": [CAPABILITY_NAMES.get(c, c) for c in t.capabilities],
                "expired": t.expires_at is not None and t.expires_at <= now,
            }
            for t in ApiToken.objects.filter(user=request.user)
        ],
        "memberships": Membership.objects.filter(user=request.user).select_related("region", "organisation"),
        "own": [(CAPABILITY_NAMES[c], CAPABILITY_LABELS[c]) for c in services.own_capabilities(scope)],
        "tab": "tokens",
    }
    response = render(request, "accounts/tokens.html", context, status=status)
    if secret:
        response["Cache-Control"] = NO_STORE
    return response


@login_required
def tokens(request: SignedInRequest) -> HttpResponse:
    scope = request.scope
    allowed = services.own_capabilities(scope)
    if request.method != "POST":
        return _tokens_page(request, TokenForm(allowed=allowed))
    form = TokenForm(request.POST, allowed=allowed)
    if form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = services.issue_token(scope, data["name"], data["capabilities"], data["days"])
        except services.Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("Token “%(name)s” made.") % {"name": token.name})
            return _tokens_page(request, TokenForm(allowed=allowed), secret)
    return _tokens_page(request, form, status=400)


@login_required
@require_POST
def token_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(token)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")


# --- the audit trail ----------------------------------------------------------------------------------


@login_required
@require_GET
def audit(request: SignedInRequest) -> HttpResponse:
    scope = request.scope
    if not (scope.can("users") or scope.can("directory")):
        return _forbidden(
            request,
            _("The audit trail is for the administrators who maintain the directory or the accounts."),
        )
    filters = AuditFilter(request.GET, kinds=trail.kinds(scope))
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    entries = trail.entries(
        scope,
        kind=chosen.get("kind") or "",
        who=chosen.get("who") or "",
        since=chosen.get("since"),
        until=chosen.get("until"),
    )
    try:
        number = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        number = 1
    rows, more = trail.page(entries, number)
    context = {"filters": filters, "rows": rows, "number": number, "more": more, "tab": "audit"}
    return render(request, "accounts/audit.html", context)


# --- sign-in and password ---------------------------------------------------------------------------

login = auth_views.LoginView.as_view(
    extra_context={"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff": settings.AXES_COOLOFF_TIME}
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:password_change_done"),
    extra_context={"tab": "password"},
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html", extra_context={"tab": "password"}
)
