"""People and their roles from a spreadsheet: template, import, export in the same columns.

Administrators only: `accounts.manage_users` is theirs alone in the policy, and the
import creates sign-ins. A row gives a login, a full name, an email, a unit of the chosen
ward and a role. A login new to the system becomes a user with a random password, shown
once on the result page (there is no e-mailed invitation in the product); a login that
exists keeps its details and gains the membership. Memberships go through
`grant_membership`, so they are audited like any other.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehoach.accounts import policy, services
from kehoach.accounts.models import Membership, Role, User
from kehoach.core import spreadsheet_imports as si
from kehoach.core import spreadsheets as sh
from kehoach.core import tabular
from kehoach.org.models import Unit, UnitKind

# No 0/O, 1/l/I: the password is read off a screen and typed on a phone.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12
MAX_ROWS = sh.MAX_ROWS

FIELDS: list[sh.Field] = [
    sh.Field("login", gettext_lazy("Username"), required=True, width=20),
    sh.Field("full_name", gettext_lazy("Full name"), required=True, width=28),
    sh.Field("email", gettext_lazy("Email"), width=28),
    sh.Field("unit", gettext_lazy("Unit"), required=True, width=40),
    sh.Field("role", gettext_lazy("Role"), required=True, width=16),
]


def may_import(user) -> bool:
    return policy.can(user, "accounts.manage_users")


def wards() -> list[Unit]:
    """The roots and every party committee: under a city committee, its wards too."""
    return list(
        Unit.objects.filter(Q(parent__isnull=True) | Q(kind=UnitKind.PARTY_COMMITTEE))
        .exclude(kind=UnitKind.EXTERNAL)
        .order_by("name", "pk")
    )


def ward_units(ward: Unit) -> list[Unit]:
    return list(Unit.objects.subtree_of(ward).active().order_by("path"))


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


# ---------------------------------------------------------------- export


def memberships_of_ward(ward: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(unit__path__startswith=ward.path)
        .select_related("user", "unit")
        .order_by("user__username", "unit__path", "role")
    )


def users_table(ward: Unit) -> tabular.Table:
    values = {
        "login": lambda m: m.user.username,
        "full_name": lambda m: m.user.full_name,
        "email": lambda m: m.user.email,
        "unit": lambda m: m.unit.name,
        "role": lambda m: str(m.get_role_display()),
    }
    columns = [tabular.Column(f.header, values[f.key], width=f.width) for f in FIELDS]
    # No notes under the table: the file imports back as it is.
    return tabular.Table(_("Users"), columns, memberships_of_ward(ward))


# ---------------------------------------------------------------- template and import


def build_template(ward: Unit) -> bytes:
    return si.build_template(
        title=_("Users"),
        fields=FIELDS,
        lists={
            "unit": [u.name for u in ward_units(ward)],
            "role": [str(label) for label in Role.labels],
        },
        guide=[
            _("One role of one person per row; a person with several roles takes several rows."),
            _(
                "Username: letters, digits and @ . + - _ only. A new username creates the"
                " person's account with a password shown once after the import."
            ),
            _("A username already in the system keeps its details and gains the role."),
            _("Unit: a unit of the ward chosen on the import page. Role: from the list."),
        ],
    )


@dataclass
class _Row:
    login: str
    full_name: str
    email: str
    unit: Unit | None
    role: str | None


@dataclass
class Imported:
    user: User
    unit: Unit
    role: str
    password: str = ""  # set on the row that created the user, shown once
    new_membership: bool = True

    def get_role_display(self) -> str:
        return str(Role(self.role).label)


def _read(reader: sh.RowReader, units: sh.UnitIndex, roles: sh.Lookup) -> _Row:
    login = reader.text("login", required=True, max_length=150)
    if login:
        try:
            User.username_validator(login)
        except ValidationError:
            reader.fail(
                _("“%(login)s” is not a valid username: letters, digits and @ . + - _ only.")
                % {"login": login},
                "login",
            )
    email = reader.text("email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            reader.fail(_("“%(email)s” is not an email address.") % {"email": email}, "email")
    return _Row(
        login=login,
        full_name=reader.text("full_name", max_length=150),
        email=email,
        unit=reader.unit("unit", units),
        role=reader.choice("role", roles, required=True),
    )


def import_users(*, actor, ward: Unit, data: bytes, dry_run: bool = False) -> si.Outcome:
    """Creates the new people and grants every role, or nothing: raises sh.ImportRejected
    with every problem of every row."""
    policy.require(actor, "accounts.manage_users", ward)
    try:
        rows = sh.read_records(data, FIELDS, max_rows=MAX_ROWS)
    except sh.SheetError as exc:
        raise sh.ImportRejected([str(exc)]) from None
    units = sh.UnitIndex(ward_units(ward))
    roles = sh.Lookup(Role.choices)
    readers: list[sh.RowReader] = []
    parsed: dict[int, _Row] = {}
    for row in rows:
        reader = sh.RowReader(row, FIELDS)
        parsed[row.number] = _read(reader, units, roles)
        readers.append(reader)
    existing = {
        u.username: u for u in User.objects.filter(username__in={r.login for r in parsed.values()})
    }
    first_of: dict[str, _Row] = {}
    seen: set[tuple[str, int, str]] = set()
    for reader in readers:
        row = parsed[reader.number]
        if not row.login:
            continue
        if row.login not in existing:
            first = first_of.setdefault(row.login, row)
            if not first.full_name and row.full_name:
                first.full_name = row.full_name
            if not row.full_name and first is row:
                reader.fail(_("a new user needs a full name."), "full_name")
            elif first is not row and row.full_name and row.full_name != first.full_name:
                reader.fail(
                    _("the same username has another full name on an earlier row."), "full_name"
                )
            if first is not row and row.email and first.email and row.email != first.email:
                reader.fail(_("the same username has another email on an earlier row."), "email")
            elif first is not row and row.email and not first.email:
                first.email = row.email
        if row.unit is not None and row.role:
            key = (row.login, row.unit.pk, row.role)
            if key in seen:
                reader.fail(_("this role of this person is already on an earlier row."))
            seen.add(key)
    created: dict[str, User] = {}

    def save(reader: sh.RowReader) -> Imported:
        row = parsed[reader.number]
        password = ""
        user = existing.get(row.login) or created.get(row.login)
        if user is None:
            first = first_of[row.login]
            password = new_password()
            user = User(username=row.login, full_name=first.full_name, email=first.email)
            user.set_password(password)
            user.save()
            created[row.login] = user
        try:
            had = Membership.objects.filter(user=user, unit=row.unit, role=row.role).exists()
            services.grant_membership(actor=actor, user=user, unit=row.unit, role=row.role)
        except Exception:
            # The row's savepoint takes the new user with it; a later row must not use it.
            if password:
                created.pop(row.login, None)
            raise
        return Imported(user, row.unit, row.role, password, new_membership=not had)

    return si.save_all(actor, readers, save, dry_run=dry_run)
