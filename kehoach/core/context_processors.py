from django.http import HttpRequest

from kehoach.core.navigation import items_for


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": items_for(request)}
