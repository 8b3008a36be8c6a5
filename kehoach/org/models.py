from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kehoach.core.models import TimeStampedModel
from kehoach.org.lookups import PathUnder
from kehoach.org.querysets import UnitQuerySet


class UnitKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    STANDING_COMMITTEE = "standing_committee", _("Standing committee")
    PARTY_BOARD = "party_board", _("Party board")
    OFFICE = "office", _("Party office")
    PEOPLES_COUNCIL = "peoples_council", _("People's Council")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    DEPARTMENT = "department", _("Department")
    FRONT = "front", _("Fatherland Front")
    MASS_ORG = "mass_org", _("Mass organisation")
    POLITICAL_CENTER = "political_center", _("Political centre")
    PARTY_CELL = "party_cell", _("Party cell")
    EXTERNAL = "external", _("External body")


class Unit(TimeStampedModel):
    """A body in the ward's tree; rights given on a unit apply to its whole subtree."""

    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    # "/<root id>/<child id>/…/<own id>/": subtree and ancestor queries without recursion.
    path = models.CharField(max_length=512, editable=False, db_index=True, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.depth_of(self.path)

    @staticmethod
    def depth_of(path: str) -> int:
        """A unit's depth from its path alone, for pickers read as rows."""
        return path.count("/") - 2

    @property
    def scope_unit(self) -> "Unit":
        return self

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def ancestors(self) -> UnitQuerySet:
        ids = self.ancestor_ids()
        units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        return [units[i] for i in ids if i in units]

    def is_descendant_of(self, other: "Unit") -> bool:
        return self.path.startswith(other.path) and self.pk != other.pk

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        in_own_subtree = bool(
            self.parent_id and self.path and self.parent.path.startswith(self.path)
        )
        if self.parent_id and self.pk and (self.parent_id == self.pk or in_own_subtree):
            raise ValidationError(
                {"parent": _("A unit cannot be placed under itself or one of its own units.")}
            )
        if self.parent_id and not self.parent.is_active and self.is_active:
            raise ValidationError({"parent": _("The parent unit has been retired.")})

    def save(self, *args, **kwargs) -> None:
        # The path invariant holds whichever way a unit is saved (service, admin, shell).
        with transaction.atomic():
            super().save(*args, **kwargs)
            expected = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
            if self.path != expected:
                old = self.path
                self.path = expected
                Unit.objects.filter(pk=self.pk).update(path=expected)
                if old:
                    self._rewrite_descendant_paths(old, expected)

    def _rewrite_descendant_paths(self, old: str, new: str) -> None:
        from django.db.models import Value
        from django.db.models.functions import Concat, Substr

        # One statement for the whole subtree, however large.
        Unit.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
            path=Concat(Value(new), Substr("path", len(old) + 1))
        )


Unit._meta.get_field("path").register_lookup(PathUnder)


def ward_of(unit: Unit) -> Unit:
    """The ward a unit belongs to: its nearest party committee, itself included. That is the
    root when the instance holds one ward, and the ward below the city's committee when a
    city holds many (the root is then the city, not a ward). Units outside any committee
    (an external body at the root) are their own ward."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    if unit.kind == UnitKind.PARTY_COMMITTEE or not ids:
        return unit
    committee = (
        Unit.objects.filter(pk__in=ids, kind=UnitKind.PARTY_COMMITTEE).order_by("-path").first()
    )
    if committee is not None:
        return committee
    return unit if ids[0] == unit.pk else Unit.objects.get(pk=ids[0])
