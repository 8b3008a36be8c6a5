from django.db import models


class SourceDocumentQuerySet(models.QuerySet):
    def for_user(self, user) -> "SourceDocumentQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()
