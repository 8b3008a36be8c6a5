"""Two-step sign-in: setup, the code after the password, recovery codes, throttling, the
gate for roles that must use it, turning it off, and the administrator's reset."""

import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from kehoach.accounts import services, twofactor
from kehoach.accounts.models import Role, TwoFactor
from kehoach.accounts.testing import code_for, code_for_secret, enrol
from kehoach.audit.models import Action, AuditEntry
from kehoach.core.testing import PASSWORD, client_for, make_user

LOGIN = "/tai-khoan/dang-nhap/"
VERIFY = "/tai-khoan/xac-thuc/"
SETUP = "/tai-khoan/bao-mat/ung-dung-xac-thuc/"
CODES = "/tai-khoan/bao-mat/ma-du-phong/"
SECURITY = "/tai-khoan/bao-mat/"


WRONG = "The code is not right or has already been used. Please try the current one."


def t(msgid: str) -> str:
    """The message as the page shows it, whatever the state of the catalogue."""
    return escape(gettext(msgid))


def _password(client: Client, username: str, **extra):
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, **extra)


def _entries(device: TwoFactor):
    kind = ContentType.objects.get_for_model(TwoFactor)
    return AuditEntry.objects.filter(content_type=kind, object_id=str(device.pk))


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _set_up(client: Client) -> list[str]:
    """Goes through the setup page as a person would; returns the recovery codes shown."""
    page = client.get(SETUP).content.decode()
    secret = re.search(r'id="totp-secret"[^>]*>([^<]+)<', page).group(1).replace(" ", "")
    response = client.post(SETUP, {"code": code_for_secret(secret), "next": "/"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)


# --- The gate for roles that must use it ------------------------------------------------------


def test_a_coordinator_with_a_password_only_is_sent_to_set_up_and_can_open_nothing_else(
    world,
) -> None:
    client = Client()
    assert _password(client, "xaydungdang").status_code == 302
    for url in ("/", "/ke-hoach/", f"/don-vi/{world.cell1.pk}/", SECURITY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP)
    api = client.get("/api/v1/me")
    assert api.status_code == 403
    assert api.json()["detail"] == gettext("Two-step sign-in must be completed first.")
    page = client.get(SETUP).content.decode()
    assert t("Your role requires two-step sign-in. Please set it up before continuing.") in page
    assert 'src="data:image/svg+xml' in page


@pytest.mark.parametrize("role", [Role.LEADER, Role.COORDINATOR])
def test_leaders_and_coordinators_must_use_it(world, role) -> None:
    make_user("lanhdao", unit=world.ward, role=role)
    client = Client()
    _password(client, "lanhdao")
    assert client.get("/")["Location"].startswith(SETUP)


def test_an_administrator_signing_in_through_the_admin_page_meets_the_same_gate(world) -> None:
    client = Client()
    client.post("/quan-tri/login/", {"username": "admin", "password": PASSWORD})
    assert _signed_in(client)
    assert client.get("/quan-tri/")["Location"].startswith(SETUP)


def test_a_cell_secretary_may_sign_in_with_a_password_only(world) -> None:
    client = Client()
    _password(client, "chibo1")
    assert client.get("/").status_code == 200
    assert client.session[twofactor.STATE] == twofactor.NOT_REQUIRED


def test_a_person_made_coordinator_while_signed_in_is_asked_within_minutes(world) -> None:
    from kehoach.accounts.models import Membership, Role

    client = Client()
    _password(client, "chibo1")
    assert client.get("/").status_code == 200
    Membership.objects.create(user=world.secretary, unit=world.ward, role=Role.COORDINATOR)
    # Settled a moment ago: the same session goes on until the next check.
    assert client.get("/").status_code == 200
    session = client.session
    session[twofactor.NOT_REQUIRED_AT] -= twofactor.RECHECK_SECONDS
    session.save()
    assert client.get("/")["Location"].startswith(SETUP)
    assert client.get("/tong-quan/")["Location"].startswith(SETUP)


def test_setting_up_opens_the_site_and_shows_ten_recovery_codes_once(world) -> None:
    client = Client()
    _password(client, "xaydungdang")
    codes = _set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(CODES)["Location"] == SECURITY  # shown once
    assert client.get("/").status_code == 200
    device = TwoFactor.objects.get(user=world.coordinator)
    assert device.recovery_left == 10
    assert not any(code in json.dumps(device.recovery_hashes) for code in codes)


def test_a_wrong_code_at_setup_is_refused_in_vietnamese_and_nothing_is_stored(world) -> None:
    client = client_for(world.secretary)
    client.get(SETUP)
    secret = client.session[twofactor.SETUP_SECRET]
    response = client.post(SETUP, {"code": _wrong(code_for_secret(secret))})
    assert response.status_code == 200
    assert t(WRONG) in response.content.decode()
    response = client.post(SETUP, {"code": "abc"})
    assert t(WRONG) in response.content.decode()
    assert not TwoFactor.objects.exists()


def test_the_secret_and_the_recovery_codes_never_reach_the_audit_log(world) -> None:
    client = Client()
    _password(client, "xaydungdang")
    codes = _set_up(client)
    device = TwoFactor.objects.get(user=world.coordinator)
    entry = _entries(device).get(action=Action.CREATE)
    assert entry.actor == world.coordinator
    logged = json.dumps([entry.before, entry.after])
    assert device.secret not in logged
    assert "recovery_hashes" not in logged and "last_step" not in logged
    assert not any(code in logged for code in codes)


# --- Signing in with a code ---------------------------------------------------------------


def test_the_password_alone_does_not_sign_in_someone_who_has_an_app(world) -> None:
    enrol(world.secretary)
    client = Client()
    response = _password(client, "chibo1")
    assert response["Location"].startswith(VERIFY)
    assert not _signed_in(client)
    assert client.get("/")["Location"].startswith(LOGIN)

    response = client.post(VERIFY, {"code": code_for(world.secretary), "next": "/ke-hoach/"})
    assert response["Location"] == "/ke-hoach/"
    assert _signed_in(client)
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_in_vietnamese(world) -> None:
    enrol(world.secretary)
    client = Client()
    _password(client, "chibo1")
    response = client.post(VERIFY, {"code": _wrong(code_for(world.secretary))})
    assert response.status_code == 200
    assert t(WRONG) in response.content.decode()
    assert not _signed_in(client)


def test_a_code_cannot_be_used_twice(world) -> None:
    enrol(world.secretary)
    first = Client()
    _password(first, "chibo1")
    code = code_for(world.secretary)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    second = Client()
    _password(second, "chibo1")
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert not _signed_in(second)


def test_a_recovery_code_signs_in_once(world) -> None:
    client = Client()
    _password(client, "xaydungdang")
    codes = _set_up(client)

    again = Client()
    _password(again, "xaydungdang")
    response = again.post(VERIFY, {"code": codes[3].upper()}, follow=True)
    assert _signed_in(again)
    left = ngettext(
        "You signed in with a recovery code; %(left)d code is left.",
        "You signed in with a recovery code; %(left)d codes are left.",
        9,
    ) % {"left": 9}
    assert escape(left) in response.content.decode()
    assert TwoFactor.objects.get(user=world.coordinator).recovery_left == 9
    entry = _entries(TwoFactor.objects.get(user=world.coordinator)).latest("pk")
    assert entry.after["recovery_left"] == 9 and entry.actor == world.coordinator

    third = Client()
    _password(third, "xaydungdang")
    assert third.post(VERIFY, {"code": codes[3]}).status_code == 200
    assert not _signed_in(third)


@override_settings(LOGIN_MAX_FAILURES=3)
def test_wrong_codes_pause_even_the_right_one(world) -> None:
    enrol(world.secretary)
    client = Client()
    _password(client, "chibo1")
    for _ in range(3):
        client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": code_for(world.secretary)})
    assert t("Too many wrong codes. Please wait a while and try again.") in (
        response.content.decode()
    )
    assert not _signed_in(client)


def test_an_accepted_password_waits_only_five_minutes_for_the_code(world, monkeypatch) -> None:
    enrol(world.secretary)
    client = Client()
    _password(client, "chibo1")
    session = client.session
    session[twofactor.PENDING]["at"] -= twofactor.PENDING_SECONDS + 1
    session.save()
    response = client.post(VERIFY, {"code": code_for(world.secretary)})
    assert response["Location"] == LOGIN
    assert not _signed_in(client)


def test_an_older_session_of_someone_with_an_app_must_give_a_code(world) -> None:
    client = Client()
    client.force_login(world.secretary)
    enrol(world.secretary)
    assert client.get("/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(world.secretary)})
    assert client.get("/").status_code == 200


# --- Turning off, new codes, the administrator's reset --------------------------------------


def test_a_person_turns_it_off_with_a_code(world) -> None:
    enrol(world.secretary)
    client = client_for(world.secretary)
    response = client.post(SECURITY, {"action": "disable", "code": "123"})
    assert t(WRONG) in response.content.decode()
    assert TwoFactor.objects.filter(user=world.secretary).exists()
    client.post(SECURITY, {"action": "disable", "code": code_for(world.secretary)})
    assert not TwoFactor.objects.filter(user=world.secretary).exists()
    assert client.get("/").status_code == 200


def test_a_coordinator_who_changes_phone_sets_it_up_again_at_once(world) -> None:
    enrol(world.coordinator)
    client = client_for(world.coordinator)
    client.post(SECURITY, {"action": "disable", "code": code_for(world.coordinator)})
    assert client.get("/")["Location"].startswith(SETUP)


def test_new_recovery_codes_replace_the_old_ones(world) -> None:
    client = Client()
    _password(client, "xaydungdang")
    old = _set_up(client)
    response = client.post(SECURITY, {"action": "regenerate", "code": code_for(world.coordinator)})
    assert response["Location"] == CODES
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", client.get(CODES).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    other = Client()
    _password(other, "xaydungdang")
    assert other.post(VERIFY, {"code": old[0]}).status_code == 200
    assert other.post(VERIFY, {"code": new[0]}).status_code == 302


def test_an_administrator_resets_a_lost_phone_and_the_log_says_who(world) -> None:
    device = enrol(world.coordinator)
    client = client_for(world.admin)
    response = client.post(
        "/quan-tri/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [world.coordinator.pk]},
        follow=True,
    )
    assert response.status_code == 200
    done = ngettext(
        "Two-step sign-in was reset for %(count)d person; they set it up again at "
        "their next sign-in.",
        "Two-step sign-in was reset for %(count)d people; they set it up again at "
        "their next sign-in.",
        1,
    ) % {"count": 1}
    assert escape(done) in response.content.decode()
    assert not TwoFactor.objects.filter(user=world.coordinator).exists()
    entry = _entries(device).get(action=Action.DELETE)
    assert entry.actor == world.admin
    assert device.secret not in json.dumps(entry.before)

    again = Client()
    _password(again, "xaydungdang")
    assert again.get("/")["Location"].startswith(SETUP)


def test_only_an_administrator_may_reset_someone_else(world) -> None:
    enrol(world.secretary)
    with pytest.raises(PermissionDenied):
        services.reset_two_factor(actor=world.coordinator, user=world.secretary)
    assert TwoFactor.objects.filter(user=world.secretary).exists()


# --- API tokens ---------------------------------------------------------------------------


def _token(username: str, **extra):
    return Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD, **extra},
        content_type="application/json",
    )


def test_a_token_needs_the_code_of_someone_who_has_an_app(world) -> None:
    enrol(world.secretary)
    assert _token("chibo1").status_code == 401
    assert _token("chibo1", code="000000").status_code == 401
    assert _token("chibo1", code=code_for(world.secretary)).status_code == 200


def test_a_coordinator_without_an_app_gets_no_token(world) -> None:
    response = _token("xaydungdang")
    assert response.status_code == 403
    assert response.json()["detail"] == gettext(
        "Your role requires two-step sign-in: set it up on the website first."
    )
