from django.db import models


class ContentQuerySet(models.QuerySet):
    def for_user(self, user) -> "ContentQuerySet":
        """Items written by units in the person's scope."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        from kehoach.org.models import Unit

        return self.filter(unit__in=Unit.objects.own_for_user(user))

    def public(self) -> "ContentQuerySet":
        return self.filter(status="published", withdrawn_at__isnull=True)
