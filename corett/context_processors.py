from . import access


def portal(request):
    """What the base layout needs to show each user the way to what they may do."""
    user = request.user
    return {
        "can_edit_plan": access.can_edit_plan(user),
        "can_manage_users": access.can_manage_users(user),
    }
