"""Who may see and do what: the one place that decides. Views, API endpoints, imports and tasks ask here.

Roles (corett.models.User.Role):
- secretariat: edits the plan, periods and users; validates values; reads everything.
- focal point: bound to one country; submits that country's values and edits its directory entries.
- observer: reads everything published and downloads reports; writes nothing.
- anonymous: public pages only.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import User


def is_secretariat(user) -> bool:
    return user.is_authenticated and user.is_active and (
        user.role == User.Role.SECRETARIAT or user.is_superuser
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


def can_manage_users(user) -> bool:
    return is_secretariat(user)


def can_use_admin(user) -> bool:
    """The Django admin is a technical back office for superusers; everyone else works in the portal."""
    return user.is_authenticated and user.is_active and user.is_superuser


def requires(check):
    """View decorator: anonymous users go to the login page; signed-in users without the right get 403."""

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


plan_editor_required = requires(can_edit_plan)
user_manager_required = requires(can_manage_users)


def get_plan_item_for_edit(user, model, pk):
    """The plan item to edit, or 403 for anyone who may not edit the plan (checked before any lookup)."""
    if not can_edit_plan(user):
        raise PermissionDenied
    return get_object_or_404(model, pk=pk)


class PlanEditorOrReadOnly(BasePermission):
    """API: anyone may read the published plan; only the secretariat may write it."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or can_edit_plan(request.user)
