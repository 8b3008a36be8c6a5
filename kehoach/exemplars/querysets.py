from django.db import models


class ExemplarQuerySet(models.QuerySet):
    def for_user(self, user) -> "ExemplarQuerySet":
        """Exemplars nominated by units in the person's scope."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        from kehoach.org.models import Unit

        return self.filter(unit__in=Unit.objects.own_for_user(user))
