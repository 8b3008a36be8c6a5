from django.db import models


def _units(user):
    from kehoach.org.models import Unit

    # The scope's ids, read once per request: PostgreSQL plans a ward's 240 reports better
    # by 60 ids than by the units' path subquery (the completeness board, in-process).
    return Unit.objects.own_scope_for_user(user)


class PeriodQuerySet(models.QuerySet):
    def for_user(self, user) -> "PeriodQuerySet":
        """Periods of plans the person can see."""
        from kehoach.plans.models import Plan

        return self.filter(plan__in=Plan.objects.for_user(user))


class UnitReportQuerySet(models.QuerySet):
    def for_user(self, user) -> "UnitReportQuerySet":
        """A unit's report is seen by the unit's people and those above it."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        from kehoach.org.models import Unit

        # Joined by path for a city's scope: the board and the lists join the unit anyway.
        return self.filter(Unit.objects.own_scope_q(user))


class SummaryReportQuerySet(models.QuerySet):
    def for_user(self, user) -> "SummaryReportQuerySet":
        """The summary belongs to the plan's holder: its people and those above."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(period__plan__unit__any=_units(user))
