from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class JobLock(models.Model):
    """One row per scheduled job, locked while its next run is queued, so that two processes
    queueing at once cannot double the chain of runs."""

    name = models.CharField(max_length=200, primary_key=True)

    class Meta:
        verbose_name = _("job lock")

    def __str__(self) -> str:
        return self.name


class JobRunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class JobRun(models.Model):
    """A scheduled job's run for one slot (a day, a five-minute window). The row is inserted
    before the work starts: a second process that fails to insert it knows the run is taken."""

    job = models.CharField(max_length=200)
    slot = models.CharField(max_length=40)
    status = models.CharField(
        max_length=10, choices=JobRunStatus.choices, default=JobRunStatus.RUNNING
    )
    # The queued task that holds the run: when its worker dies, the same task is queued again
    # and may take its own run over.
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("job run")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="core_jobrun_once_per_slot")
        ]
        indexes = [models.Index(fields=["started_at"], name="core_jobrun_started")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot} {self.status}"
