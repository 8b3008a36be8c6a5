from django.http import HttpRequest


class LazyCount:
    """A number counted on first use, then remembered: a page that never shows it pays
    nothing, a page that shows it twice pays one query."""

    def __init__(self, count) -> None:
        self._count = count
        self._value: int | None = None

    @property
    def value(self) -> int:
        if self._value is None:
            self._value = self._count()
        return self._value

    def __int__(self) -> int:
        return self.value

    __index__ = __int__

    def __bool__(self) -> bool:
        return bool(self.value)

    def __str__(self) -> str:
        return str(self.value)

    def __eq__(self, other) -> bool:
        return self.value == other

    def __hash__(self) -> int:
        return hash(self.value)

    def __lt__(self, other) -> bool:
        return self.value < other

    def __gt__(self, other) -> bool:
        return self.value > other


def notifications(request: HttpRequest) -> dict:
    """`unread_notifications` for the navigation badge: one count query, made only when a
    page shows it and only for a signed-in person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}

    def count() -> int:
        from kehoach.activities.models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"unread_notifications": LazyCount(count)}
