"""Monthly tallies of the activities, derived from the records (see tallies.py).

One row per unit, plan (none for activities outside a plan), first day of the month and
channel, topic or audience group, holding the number of alive activities and the people
they reached. The dashboard reads these few thousand rows instead of 100,000+ activities.
They are rebuilt from the records at any time (`manage.py rebuild_tallies`), so they are
neither audited nor carried by a ward transfer.
"""

from __future__ import annotations

from django.db import models

from kehoach.activities.models import Audience, Channel


class TallyQuerySet(models.QuerySet):
    def for_user(self, user) -> TallyQuerySet:
        """The same scope as Activity.objects.for_user: the units of the person's subtrees."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        from kehoach.org.models import Unit

        return self.filter(unit__any=Unit.objects.own_scope_for_user(user))


class Tally(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()  # the first day of the month
    activities = models.PositiveIntegerField(default=0)
    reached = models.PositiveBigIntegerField(default=0)

    objects = TallyQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def scope_unit(self):
        return self.unit


class ChannelTally(Tally):
    channel = models.CharField(max_length=16, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "plan", "month", "channel"], name="unique_channel_tally"
            )
        ]
        indexes = [models.Index(fields=["plan", "month"], name="channel_tally_plan_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%m/%Y} {self.channel}: {self.activities}"


class TopicTally(Tally):
    topic = models.ForeignKey("plans.Topic", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "plan", "month", "topic"], name="unique_topic_tally"
            )
        ]
        indexes = [models.Index(fields=["plan", "month"], name="topic_tally_plan_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%m/%Y} topic {self.topic_id}: {self.activities}"


class AudienceTally(Tally):
    audience = models.CharField(max_length=16, choices=Audience.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "plan", "month", "audience"], name="unique_audience_tally"
            )
        ]
        indexes = [models.Index(fields=["plan", "month"], name="audience_tally_plan_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%m/%Y} {self.audience}: {self.activities}"
