from django.conf import settings
from django.contrib.auth.backends import ModelBackend

DEMO_PASSWORD = "kehoach-demo"


class KehoachBackend(ModelBackend):
    """Username and password, but never the published demo password on a real server."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password == DEMO_PASSWORD and not settings.DEBUG:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
