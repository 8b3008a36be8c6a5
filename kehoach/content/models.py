"""News, articles, infographics, clips and loudspeaker bulletins, and their broadcast plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehoach.content.querysets import ContentQuerySet
from kehoach.core.models import TimeStampedModel


class ContentKind(models.TextChoices):
    NEWS = "news", _("News item")
    ARTICLE = "article", _("Article")
    INFOGRAPHIC = "infographic", _("Infographic")
    VIDEO = "video", _("Video clip")
    BULLETIN = "bulletin", _("Loudspeaker bulletin")
    SLOGAN = "slogan", _("Slogan or panel")
    SOCIAL_POST = "social_post", _("Social media post")


class Outlet(models.TextChoices):
    """Where content goes out; the codes match kehoach.activities.models.Channel."""

    PORTAL = "portal", _("Ward portal")
    SOCIAL = "social", _("Social media page")
    LOUDSPEAKER = "loudspeaker", _("Loudspeaker system")
    NEWSLETTER = "newsletter", _("Newsletter")
    VISUAL = "visual", _("Panels and posters")


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ContentItem(TimeStampedModel):
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("author unit"),
        on_delete=models.PROTECT,
        related_name="content_items",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContentKind.choices)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("text"), blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    hashtags = models.CharField(_("hashtags"), max_length=255, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="content_items",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    review_comment = models.TextField(_("requested changes"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    # The activity recorded when it was published: reports count the item once.
    activity = models.OneToOneField(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="content_item",
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "scheduled_for"])]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_unit(self):
        return self.unit


class ContentTopic(models.Model):
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey("plans.Topic", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "topic"], name="unique_item_topic")]

    def __str__(self) -> str:
        return f"{self.item} — {self.topic}"

    @property
    def scope_unit(self):
        return self.item.unit


class ContentTarget(models.Model):
    """A channel the item goes out on."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="targets")
    outlet = models.CharField(_("channel"), max_length=16, choices=Outlet.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "outlet"], name="unique_item_outlet")
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.get_outlet_display()}"

    @property
    def scope_unit(self):
        return self.item.unit


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")


class ContentMedia(TimeStampedModel):
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("kind"), max_length=8, choices=MediaKind.choices)
    file = models.FileField(_("file"), upload_to="content/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    # Set on the audio generated from a bulletin's text: regenerate when the text changes.
    spoken_text_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")

    def __str__(self) -> str:
        return self.original_name or self.file.name

    @property
    def scope_unit(self):
        return self.item.unit


class BroadcastStation(TimeStampedModel):
    """A loudspeaker station or zone of a ward."""

    ward = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("station or zone"), max_length=128)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("loudspeaker station")
        verbose_name_plural = _("loudspeaker stations")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_unit(self):
        return self.ward


class BroadcastSlot(TimeStampedModel):
    station = models.ForeignKey(BroadcastStation, on_delete=models.CASCADE, related_name="slots")
    name = models.CharField(_("slot"), max_length=64)
    starts_at = models.TimeField(_("starts at"))
    minutes = models.PositiveIntegerField(_("length in minutes"), default=15)

    class Meta:
        verbose_name = _("broadcast slot")
        verbose_name_plural = _("broadcast slots")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.station} {self.starts_at:%H:%M}"

    @property
    def scope_unit(self):
        return self.station.ward


class Broadcast(TimeStampedModel):
    """A bulletin planned in a slot on a day."""

    slot = models.ForeignKey(BroadcastSlot, on_delete=models.CASCADE, related_name="broadcasts")
    date = models.DateField(_("date"))
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="broadcasts")
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["date", "slot__starts_at", "order"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "date", "item"], name="unique_broadcast")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.slot} — {self.item}"

    @property
    def scope_unit(self):
        return self.slot.station.ward
