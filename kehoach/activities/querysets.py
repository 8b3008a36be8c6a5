from django.db import models


def _scope_units(user):
    from kehoach.org.models import Unit

    return Unit.objects.own_scope_for_user(user)


class TaskQuerySet(models.QuerySet):
    def for_user(self, user) -> "TaskQuerySet":
        """Tasks of units in the person's scope (their subtree)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(unit__any=_scope_units(user))


class ActivityQuerySet(models.QuerySet):
    def alive(self) -> "ActivityQuerySet":
        return self.filter(deleted_at__isnull=True)

    def for_user(self, user) -> "ActivityQuerySet":
        """Activities of units in the person's scope; deleted ones are gone from every read."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.alive()
        return self.alive().filter(unit__any=_scope_units(user))


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)
