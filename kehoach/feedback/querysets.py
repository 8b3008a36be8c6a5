from django.db import models


def _units(user):
    from kehoach.org.models import Unit

    return Unit.objects.own_for_user(user)


class ConcernQuerySet(models.QuerySet):
    def for_user(self, user) -> "ConcernQuerySet":
        """Concerns handled by units in the person's scope."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(unit__any=_units(user))


class OpinionDigestQuerySet(models.QuerySet):
    def for_user(self, user) -> "OpinionDigestQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(unit__any=_units(user))
