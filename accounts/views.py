"""Pages of accounts: my account, the union tree and the people in my scope."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy

from core.pagination import BoundedPaginator

from . import selectors
from .decorators import perm_required
from .forms import AuditedPasswordChangeForm, AuditedSetPasswordForm, LoginForm, UnitSearchForm, UserSearchForm


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"assignments": request.user.role_assignment_list()})


@perm_required("accounts.list_units")
def unit_list(request):
    form = UnitSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(user=request.user, search=filters.get("q", ""), kind=filters.get("kind", ""))
    page = BoundedPaginator(units).get_page(request.GET.get("page"))
    return render(request, "accounts/unit_list.html", {"form": form, "page_obj": page})


@perm_required("accounts.list_units")
def unit_detail(request, pk: int):
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    visible_ancestors = [a for a in selectors.unit_ancestors(unit) if request.user.has_perm("accounts.view_unit", a)]
    children = BoundedPaginator(selectors.unit_children(unit)).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "ancestors": visible_ancestors,
            "page_obj": children,
            "role_holders": selectors.unit_role_holders(unit),
        },
    )


@perm_required("accounts.list_users")
def user_list(request):
    form = UserSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(user=request.user, search=filters.get("q", ""), role=filters.get("role", ""))
    page = BoundedPaginator(users).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"form": form, "page_obj": page})


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = AuditedPasswordChangeForm
    success_url = reverse_lazy("password_change_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = AuditedSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")
