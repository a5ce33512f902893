from django.contrib.auth.models import AnonymousUser

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
    }


def _demo_figures():
    from monitoring.demo.selectors import demo_figures_exist

    return demo_figures_exist()


def _queue_size():
    from monitoring.review.selectors import queue_size

    return queue_size()
