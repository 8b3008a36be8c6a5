from django.db import models


class IndicatorQuerySet(models.QuerySet):
    def for_user(self, user) -> "IndicatorQuerySet":
        """Indicators of the wards in the person's scope (targets are the ward's business)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        from kehoach.accounts.querysets import memberships_of

        ward_ids = {int(m.unit.path.strip("/").split("/")[0]) for m in memberships_of(user)}
        return self.filter(ward_id__in=ward_ids)
