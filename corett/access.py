"""Who may see and do what: the one place that decides. Views, API, imports and tasks ask here.

Roles (corett.models.User.Role):
- secretariat: edits the plan, periods and users; validates values; reads everything.
- focal point: bound to one country; submits that country's values and edits its directory entries.
- observer: reads everything published and downloads reports; writes nothing.
- anonymous: public pages only.
"""

from enum import StrEnum
from functools import wraps

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_otp import user_has_device
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import User

OPEN_DATA_READER = AnonymousUser()  # the open data: one file for everyone, read as the public


def is_secretariat(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.role == User.Role.SECRETARIAT or user.is_superuser)
    )


def is_focal_point_of(user, country) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == User.Role.FOCAL_POINT
        and user.country_id == getattr(country, "pk", country)
    )


def can_edit_plan(user) -> bool:
    return is_secretariat(user)


def can_see_retired_plan_items(user) -> bool:
    """Retired plan items leave the published plan; the secretariat, who retires them, sees them."""
    return is_secretariat(user)


def can_manage_users(user) -> bool:
    return is_secretariat(user)


def can_use_admin(user) -> bool:
    """The Django admin is a back office for superusers; everyone else works in the portal."""
    return user.is_authenticated and user.is_active and user.is_superuser


def must_use_second_factor(user) -> bool:
    """The secretariat (and superusers) must sign in with a second factor, except in demo mode."""
    return is_secretariat(user) and not settings.DEMO_MODE


def needs_second_factor(user) -> bool:
    """Does this signed-in user still owe a second factor before using the portal?

    True for anyone with a confirmed device who has not entered a code in this session (an enrolled
    device is never optional), and for those who must use one but have not yet verified.
    """
    if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return False
    return must_use_second_factor(user) or user_has_device(user)


def authenticate_throttled(request, username, password):
    """Check a username and password under the sign-in throttling (django-axes), for any way in
    other than the sign-in page, e.g. the API token endpoint. Returns (user or None, locked_out).

    Any `django.contrib.auth.authenticate(request=request, ...)` call is throttled as long as the
    request (a Django or DRF request) is passed; this only also tells whether the refusal was a
    lockout, so that the caller can answer 429. While locked out, even the right password fails.
    """
    user = authenticate(request=request, username=username, password=password)
    return user, bool(getattr(request, "axes_locked_out", False))


def sees_usernames(user) -> bool:
    """Who did something in the portal (verified a directory entry, asked for a report) is named by
    username to the secretariat alone; everyone else reads the role and country."""
    return is_secretariat(user)


def person_shown_to(viewer, person) -> str:
    """How `person` (an account, or None once removed) is named to `viewer`: "focal point,
    Honduras" to everyone, with the username in brackets for whoever sees_usernames."""
    if person is None:
        return ""
    label = person.role_label()
    return f"{label} ({person.get_username()})" if sees_usernames(viewer) else label


# --- Monitoring values -------------------------------------------------------------------------


def can_enter_values(user, country) -> bool:
    """Save and submit values: a country's own focal point, or the secretariat. Regional values
    (country None) are the secretariat's alone."""
    if country is None:
        return is_secretariat(user)
    return is_focal_point_of(user, country) or is_secretariat(user)


def can_import_values(user) -> bool:
    """Import value spreadsheets: focal points (each file for their own country, checked per row)
    and the secretariat."""
    return can_enter_values(user, getattr(user, "country", None))


def can_review_values(user) -> bool:
    """Validate, return and reopen values."""
    return is_secretariat(user)


def has_inbox(user) -> bool:
    """The inbox of what is due: a focal point bound to a country, or the secretariat."""
    return is_secretariat(user) or (
        user.is_authenticated
        and is_focal_point_of(user, getattr(user, "country_id", None))
        and user.country_id is not None
    )


def inbox_countries(user, countries):
    """The countries (a queryset of strategy's Country) whose inbox this user sees: every one for
    the secretariat, their own for a focal point, none for anyone else."""
    if is_secretariat(user):
        return countries
    if has_inbox(user):
        return countries.filter(pk=user.country_id)
    return countries.none()


def can_mark_follow_up(user) -> bool:
    """Mark any value for follow-up with a note, and clear the mark once resolved."""
    return is_secretariat(user)


def values_visible_to(user, values):
    """The values (a queryset of monitoring's Value) this user may read: everyone sees validated
    ones; a focal point also sees every state of their own country's values; the secretariat sees
    everything."""
    if is_secretariat(user):
        return values
    if user.is_authenticated and user.is_active and user.role == User.Role.FOCAL_POINT:
        return values.validated_or_of_country(user.country_id)
    return values.validated()


def get_value_to_read(user, values, pk):
    """The value (from the queryset `values`) if this user may read it; 404 otherwise, the same
    for a draft as for no value at all."""
    value = values_visible_to(user, values).filter(pk=pk).first()
    if value is None:
        raise Http404
    return value


def get_value_in_full(user, values, pk):
    """The value if this user sees it in full (sees_value_in_full: its whole audit trail and its
    evidence file); 404 otherwise."""
    value = values.filter(pk=pk).first()
    if value is None or not sees_value_in_full(user, value.country):
        raise Http404
    return value


def may_read_narrative(user, narrative) -> bool:
    """A country's narrative of a period: the secretariat and the country's focal point read it in
    every state; anyone else only once validated."""
    return (
        narrative.is_validated
        or can_review_values(user)
        or is_focal_point_of(user, narrative.country_id)
    )


def get_narrative_to_read(user, narratives, pk):
    """The narrative (from the queryset `narratives`) if this user may read it; 404 otherwise."""
    narrative = narratives.filter(pk=pk).first()
    if narrative is None or not may_read_narrative(user, narrative):
        raise Http404
    return narrative


class Seen(StrEnum):
    FULL = "full"  # every cell as reported
    PROTECTED = "protected"  # as monitoring.disclosure publishes it: "<5", "n.p."


def breakdown_seen(user, country) -> Seen:
    """How this user reads the breakdown of a country's value (country None: a regional figure):
    in full, the secretariat and the country's own focal point; protected, everyone else (a focal
    point reads the other countries and the region protected)."""
    if is_secretariat(user) or (country is not None and is_focal_point_of(user, country)):
        return Seen.FULL
    return Seen.PROTECTED


def sees_value_in_full(user, country) -> bool:
    """A value's whole audit trail (who changed it, its draft figures, the secretariat's notes) and
    its evidence file: the secretariat and the country's own focal point. Others, who see only
    validated values, see when it went through the workflow, not who or with which figures."""
    return is_secretariat(user) or (country is not None and is_focal_point_of(user, country))


def can_manage_periods(user) -> bool:
    """Create, lock and unlock reporting periods; set targets; qualify the axes; keep the
    population denominators of the rates per 100,000 (monitoring.populations)."""
    return is_secretariat(user)


def requires(check):
    """View decorator: anonymous users go to sign in; signed-in users without the right get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def sign_in_instead_of_404(view):
    """View decorator for pages that e-mails link to: an anonymous visitor who meets a 404 (the
    page is not theirs to see, or does not exist: the same answer) is sent to sign in instead."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapper


plan_editor_required = requires(can_edit_plan)
user_manager_required = requires(can_manage_users)


def get_plan_item_for_edit(user, model, pk):
    """The plan item to edit, or 403 for anyone who may not edit the plan (checked first)."""
    if not can_edit_plan(user):
        raise PermissionDenied
    return get_object_or_404(model, pk=pk)


def get_account_for_management(user, pk):
    """The account to edit, or 403 for anyone who may not manage users (checked before lookup)."""
    if not can_manage_users(user):
        raise PermissionDenied
    return get_object_or_404(User, pk=pk)


class PlanEditorOrReadOnly(BasePermission):
    """API: anyone may read the published plan; only the secretariat may write it."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or can_edit_plan(request.user)


# --- Reports ---------------------------------------------------------------------------------


def can_request_report(user, scope, *, draft: bool = False) -> bool:
    """Ask for a PDF progress report of `scope` (a country, or None for the regional report).
    Observers and the secretariat: any country and the region. A focal point: their own country
    only, and only they (with the secretariat) may ask for one with their drafts in it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if draft and scope is None:
        return False
    if is_secretariat(user):
        return True
    if user.role == User.Role.OBSERVER:
        return not draft
    return scope is not None and is_focal_point_of(user, scope)


def can_download_report(user, report) -> bool:
    """See a report request's state and download its file: whoever may ask for the same report.
    A report with drafts stays with its country's focal points and the secretariat."""
    return can_request_report(user, report.country, draft=report.draft)


def can_use_reports(user) -> bool:
    """The reports pages: accounts that may ask for some report (not anonymous visitors)."""
    return can_request_report(user, getattr(user, "country", None))


def get_report_for_download(user, reports, pk):
    """The report request (from the queryset `reports`) if this user may see it and download its
    file; 404 otherwise, so that not even its existence is told."""
    report = reports.filter(pk=pk).first()
    if report is None or not can_download_report(user, report):
        raise Http404
    return report


def reports_visible_to(user, reports):
    """The report requests this user may see, for the archive: the same rule as
    can_download_report, as a filter."""
    if not (user.is_authenticated and user.is_active):
        return reports.none()
    if is_secretariat(user):
        return reports
    if user.role == User.Role.OBSERVER:
        return reports.filter(draft=False)
    if user.role == User.Role.FOCAL_POINT and user.country_id:
        return reports.filter(country_id=user.country_id)
    return reports.none()


# --- Referral directory ------------------------------------------------------------------------


def can_edit_directory_entry(user, country) -> bool:
    """Edit, create and mark as verified a directory entry (actor, complaint line, route and its
    steps): the secretariat, and the focal point of the entry's country. Regional entries
    (country None) are the secretariat's alone."""
    if country is None:
        return is_secretariat(user)
    return is_secretariat(user) or is_focal_point_of(user, country)


def can_set_governing_body(user) -> bool:
    """Mark a directory entry as its country's governing body (in a form or an imported row):
    which body governs follows the strategy, so the secretariat's alone."""
    return is_secretariat(user)


def can_work_on_directory(user) -> bool:
    """Reach the directory's work pages (entries to verify, import): the secretariat and focal
    points; each entry and each imported row is then checked with can_edit_directory_entry."""
    return is_secretariat(user) or (
        user.is_authenticated
        and user.is_active
        and user.role == User.Role.FOCAL_POINT
        and user.country_id is not None
    )


def sees_contact_persons(user) -> bool:
    """Named contact persons of the institutions: signed-in users only, never the public."""
    return bool(user.is_authenticated and user.is_active)


def directory_entries_to_verify(user, entries):
    """The stale entries (a Verifiable queryset) this user should verify: all of them for the
    secretariat, their own country's for a focal point, none for anyone else."""
    if is_secretariat(user):
        return entries
    if can_work_on_directory(user):
        return entries.filter(country_id=user.country_id)
    return entries.none()


def get_directory_country_for_edit(user, find_country):
    """The country (None for regional entries) whose directory entries this user is about to add
    or edit, or 403. Anyone who may edit no entry at all is refused before `find_country` looks
    the country up (and answers 404 for none)."""
    if not can_work_on_directory(user):
        raise PermissionDenied
    country = find_country()
    if not can_edit_directory_entry(user, country):
        raise PermissionDenied
    return country


def get_directory_entry_for_edit(user, queryset, pk):
    """The entry to edit, or 403. Anyone who may edit no entry at all is refused before the
    lookup; the others get 404 for no such entry, 403 for another country's."""
    if not can_work_on_directory(user):
        raise PermissionDenied
    entry = get_object_or_404(queryset, pk=pk)
    if not can_edit_directory_entry(user, entry.country):
        raise PermissionDenied
    return entry
