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
        from kehoach.plans.models import AssignmentUnit

        # A ward's scope by its ids, read once per request (PostgreSQL planned the units' path
        # subquery, written twice under an OR, in 1.5-2.5 ms, longer than it took to run); a
        # city's by the plan's own unit's path (1.5 -> 0.04 ms for one plan).
        in_scope = Unit.objects.own_scope_q(user)
        assigned = AssignmentUnit.objects.filter(in_scope).values("assignment__plan_id")
        return self.filter(in_scope | Q(pk__in=assigned))


class PlanImportQuerySet(models.QuerySet):
    def for_user(self, user) -> "PlanImportQuerySet":
        # An import under review is the uploader's own work in progress.
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(created_by=user, plan__isnull=True)
