"""User management, for the secretariat and the countries' user managers: the list of accounts,
creating one (with its invitation), editing, inviting again, resetting two-step verification."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access
from .account_forms import UserFilter, UserForm
from .account_notices import invitation_outcome, send_invitation, tokens_revoked
from .api_tokens import revoke_all_api_tokens
from .models import User


@access.user_manager_required
def user_list(request):
    two_factor = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    accounts = (
        User.objects.select_related("country")
        .annotate(two_factor=Exists(two_factor))
        .order_by("username")
    )
    filters = UserFilter(request.GET, queryset=accounts)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"filter": filters, "page": page})


@access.user_manager_required
def user_create(request):
    form = UserForm(request.POST or None, editor=request.user)
    if form.is_valid():
        user = form.save(commit=False)
        user.set_unusable_password()
        user.save()
        messages.success(request, _("Account %(username)s created.") % {"username": user.username})
        invitation_outcome(request, user, send_invitation(request, user))
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form})


@access.user_manager_required
def user_edit(request, pk):
    account = access.get_account_for_management(request.user, pk)
    was_active = account.is_active  # the form's validation sets the new value on the instance
    form = UserForm(request.POST or None, instance=account, editor=request.user)
    if form.is_valid():
        form.save()
        messages.success(
            request, _("Changes to %(username)s saved.") % {"username": account.username}
        )
        if was_active and not account.is_active:
            tokens_revoked(request, revoke_all_api_tokens(account))
        return redirect("accounts:users")
    two_factor = TOTPDevice.objects.filter(user=account, confirmed=True).exists()
    context = {"form": form, "account": account, "two_factor": two_factor}
    return render(request, "accounts/user_form.html", context)


@require_POST
@access.user_manager_required
def user_invite(request, pk):
    """Send the invitation again (it expired, or was lost)."""
    account = access.get_account_for_management(request.user, pk)
    if account.is_active:
        invitation_outcome(request, account, send_invitation(request, account))
    else:
        messages.error(request, _("An inactive account cannot be invited."))
    return redirect("accounts:user_edit", pk=account.pk)


@require_POST
@access.user_manager_required
def user_two_factor_reset(request, pk):
    """For someone who lost their phone: they sign in with the password alone, then (if their role
    requires it) set two-step verification up again. Not for oneself: that takes a current code."""
    account = access.get_account_for_management(request.user, pk)
    if account == request.user:
        messages.error(request, _("Turn off your own two-step verification on your Security page."))
    else:
        TOTPDevice.objects.filter(user=account).delete()
        messages.success(
            request,
            _("Two-step verification of %(username)s is off.") % {"username": account.username},
        )
        tokens_revoked(request, revoke_all_api_tokens(account))
    return redirect("accounts:user_edit", pk=account.pk)
