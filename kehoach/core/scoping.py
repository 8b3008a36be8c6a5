"""The scoped lookup every view and endpoint uses: another unit's object is a 404."""

from collections.abc import Sequence

from django.db import models
from django.http import Http404


def get_for_user_or_404(
    model: type[models.Model], user, *, related: Sequence[str] = (), **lookup
) -> models.Model:
    """The object the person may see, or a 404. `related` names the relations the caller
    reads (select_related), so the scoped lookup is the only query, not the first of two."""
    objects = model.objects.for_user(user)
    if related:
        objects = objects.select_related(*related)
    try:
        return objects.get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
