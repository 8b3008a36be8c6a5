"""The scoped lookup every view and endpoint uses: another unit's object is a 404."""

from django.db import models
from django.http import Http404


def get_for_user_or_404(model: type[models.Model], user, **lookup) -> models.Model:
    try:
        return model.objects.for_user(user).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
