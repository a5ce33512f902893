from django.contrib.auth.models import AnonymousUser
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

from . import access
from .models import User


def portal(request):
    """What the base layout needs to show each user the way to what they may do."""
    user = getattr(request, "user", AnonymousUser())
    can_review = access.can_review_values(user)
    return {
        "can_edit_plan": access.can_edit_plan(user),
        "can_manage_users": access.can_manage_users(user),
        "can_review_values": can_review,
        "can_use_reports": access.can_use_reports(user),
        "is_focal_point": user.is_authenticated and user.role == User.Role.FOCAL_POINT,
        # One COUNT per page, and only for the secretariat: the queue is one click from everywhere.
        "review_queue_size": _queue_size if can_review else 0,
        # Invented figures say so on every page: one query, cached (monitoring.demo.selectors).
        "demo_figures": _demo_figures,
        "nav": _layout_urls(),
    }


# The addresses the base layout links to, by the name it gives each: the same on every page of a
# language, so worked out once per language (and script prefix) in each process, not twenty
# reverse() calls on every page.
LAYOUT_URLS = {
    "about_url": "strategy:about",
    "accessibility_url": "site:accessibility",
    "conceptual_url": "strategy:conceptual",
    "countries_url": "strategy:countries",
    "dashboard_url": "monitoring:dashboard",
    "directory_url": "referrals:index",
    "entry_url": "monitoring:entry_home",
    "glossary_url": "strategy:glossary",
    "home_url": "strategy:home",
    "inbox_url": "monitoring:inbox",
    "login_url": "accounts:login",
    "logout_url": "accounts:logout",
    "matrix_url": "monitoring:matrix",
    "normative_url": "strategy:normative",
    "opendata_url": "opendata:catalogue",
    "periods_url": "monitoring:periods",
    "plan_url": "plan:index",
    "queue_url": "monitoring:queue",
    "reports_url": "monitoring:reports",
    "security_url": "accounts:security",
    "small_figures_url": "strategy:small_figures",
    "sources_url": "site:sources",
    "users_url": "accounts:users",
}
_layout_urls_made: dict[tuple, dict] = {}


def _layout_urls() -> dict:
    key = (get_language(), get_script_prefix())
    urls = _layout_urls_made.get(key)
    if urls is None:
        urls = {var: reverse(name) for var, name in LAYOUT_URLS.items()}
        _layout_urls_made[key] = urls
    return urls


def _demo_figures():
    from monitoring.demo.selectors import demo_figures_exist

    return demo_figures_exist()


def _queue_size():
    from monitoring.review.selectors import queue_size

    return queue_size()
