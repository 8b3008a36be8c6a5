from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from kehoach.accounts import services, throttle, twofactor
from kehoach.accounts.querysets import memberships_of

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str
    password: str
    # The current authenticator code (or a recovery code), for people with two-step sign-in.
    code: str | None = None


class TokenOut(Schema):
    token: str


class MembershipOut(Schema):
    unit_id: int
    unit_name: str
    role: str


class MeOut(Schema):
    username: str
    full_name: str
    is_staff: bool
    memberships: list[MembershipOut]


@router.post("/auth/token", auth=None, response={200: TokenOut}, summary="Get an API token")
def obtain_token(request: HttpRequest, payload: TokenIn):
    try:
        user = services.sign_in(request, username=payload.username, password=payload.password)
    except services.LoginLocked:
        raise HttpError(
            429,
            _("Too many failed attempts. Sign-in is paused for a while; please try again later."),
        ) from None
    if user is None or not user.is_active:
        raise HttpError(401, _("Wrong username or password."))
    _check_second_factor(request, user, payload.code)
    return {"token": services.issue_token(actor=user)}


def _check_second_factor(request: HttpRequest, user, code: str | None) -> None:
    """A token is a session without end: it needs the same second factor as the website."""
    if not services.has_two_factor(user):
        if twofactor.is_required(user):
            raise HttpError(
                403,
                _("Your role requires two-step sign-in: set it up on the website first."),
            )
        return
    if not code:
        raise HttpError(401, _("Two-step sign-in: the code from your authenticator app is needed."))
    try:
        services.check_second_factor(user=user, code=code, address=throttle.client_address(request))
    except services.CodeLocked:
        raise HttpError(
            429, _("Too many wrong codes. Please wait a while and try again.")
        ) from None
    except ValidationError:
        raise HttpError(401, _("The code is not right or has already been used.")) from None


@router.get("/me", response=MeOut, summary="The signed-in person and their roles")
def me(request: HttpRequest):
    user = request.auth
    return {
        "username": user.username,
        "full_name": user.display_name,
        "is_staff": user.is_staff,
        "memberships": [
            {"unit_id": m.unit_id, "unit_name": m.unit.name, "role": m.role}
            for m in memberships_of(user)
        ],
    }
