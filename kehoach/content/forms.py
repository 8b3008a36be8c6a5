"""Forms for content items: the editor, filters, review comment, schedule, media."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kehoach.accounts import policy
from kehoach.content.models import ContentItem, ContentKind, ContentStatus, Outlet
from kehoach.content.services import outlets_of, visible_topics
from kehoach.org.models import Unit
from kehoach.plans.models import Topic


def drafting_units(user) -> list[Unit]:
    units = Unit.objects.pickable_for(user).exclude(kind="external").order_by("path", "order")
    return [u for u in units if policy.can(user, "content.draft", u)]


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return f"{obj.title[:90]} ({obj.plan.number or obj.plan})"


class ContentForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Author unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ContentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Lead"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    outlets = forms.MultipleChoiceField(
        label=_("Channels"), choices=Outlet.choices, widget=forms.CheckboxSelectMultiple
    )
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hashtags = forms.CharField(label=_("Hashtags"), max_length=255, required=False)
    video_url = forms.URLField(
        label=_("Video link"), max_length=500, required=False, assume_scheme="https"
    )
    media = forms.FileField(label=_("Image, video or audio file"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, item: ContentItem | None = None, **kwargs):
        if item is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "unit": item.unit_id,
                "kind": item.kind,
                "title": item.title,
                "summary": item.summary,
                "body": item.body,
                "outlets": outlets_of(item),
                "topics": [link.topic_id for link in item.topic_links.all()],
                "hashtags": item.hashtags,
                "video_url": item.video_url,
                "version": item.version,
            }
        super().__init__(*args, **kwargs)
        self.item = item
        self.units = drafting_units(user)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in self.units])
        self.fields["topics"].queryset = visible_topics(user).order_by("plan_id", "order", "pk")
        if item is not None:
            # The author unit stays; moving an item between units is not an edit.
            del self.fields["unit"]
        elif len(self.units) == 1:
            self.fields["unit"].initial = self.units[0].pk

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "summary": data.get("summary") or "",
            "body": data.get("body") or "",
            # In the order of the choices: the first is the channel the activity counts.
            "outlets": [o for o in Outlet.values if o in data["outlets"]],
            "topics": list(data.get("topics") or []),
            "hashtags": data.get("hashtags") or "",
            "video_url": data.get("video_url") or "",
        }


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + ContentStatus.choices, required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All"))] + ContentKind.choices, required=False
    )
    outlet = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All"))] + Outlet.choices, required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (with its units)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.pickable_for(user).exclude(kind="external").order_by("path")
        )

    def apply(self, items: QuerySet[ContentItem]) -> QuerySet[ContentItem]:
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data.get("status"):
            items = items.filter(status=data["status"])
        if data.get("kind"):
            items = items.filter(kind=data["kind"])
        if data.get("outlet"):
            items = items.filter(targets__outlet=data["outlet"])
        if data.get("unit") is not None:
            items = items.filter(unit__path__startswith=data["unit"].path)
        return items


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Publish on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )


class MediaForm(forms.Form):
    file = forms.FileField(label=_("Image, video or audio file"))
