from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from kehoach.accounts import services
from kehoach.accounts.querysets import memberships_of

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str
    password: str


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
    return {"token": services.issue_token(actor=user)}


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
