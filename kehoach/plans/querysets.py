from django.db import models
from django.db.models import Q


class PlanQuerySet(models.QuerySet):
    def for_user(self, user) -> "PlanQuerySet":
        """Plans held in the person's scope, and plans that give their units duties."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        from kehoach.org.models import Unit

        units = Unit.objects.own_for_user(user)
        assigned = Q(assignments__targets__unit__in=units)
        return self.filter(
            Q(unit__in=units) | Q(pk__in=self.model.objects.filter(assigned).values("pk"))
        )


class PlanImportQuerySet(models.QuerySet):
    def for_user(self, user) -> "PlanImportQuerySet":
        # An import under review is the uploader's own work in progress.
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(created_by=user, plan__isnull=True)
