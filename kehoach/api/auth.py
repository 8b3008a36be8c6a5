from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from kehoach.accounts.services import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            # Scoped querysets and the audit log both read request.user.
            request.user = user
        return user


def session_auth(request: HttpRequest):
    return django_auth(request)


AUTH = [BearerToken(), django_auth]
