from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=ct, object_id=str(obj.pk))

    def older_than(self, days: int) -> "AuditEntryQuerySet":
        return self.filter(at__lt=timezone.now() - timedelta(days=days))

    def for_list(self) -> "AuditEntryQuerySet":
        return self.select_related("actor", "content_type")
