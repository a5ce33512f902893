from django.shortcuts import render

from .models import Axis, Passage


def home(request):
    return render(
        request,
        "strategy/home.html",
        {"axes": Axis.objects.all(), "general_objective": Passage.objects.filter(key="general-objective").first()},
    )
