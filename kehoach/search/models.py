"""The search index: one row per searchable record, its folded words and its text to quote.

The rows are derived data, rebuilt at will (`manage.py rebuild_search_index`), so they are
not audited. Each database adds its own word index in migration 0001: on SQLite an FTS5
table `search_fts` over the three folded columns, kept in step by triggers; on PostgreSQL a
generated `search_vector` column with a GIN index.

SQLite drops a table's triggers when Django rebuilds it: a later migration that alters
this table must create the triggers again (see migrations/0001_initial.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    # Small columns first: SQLite reads them without touching the long text behind.
    kind = models.CharField(_("kind of record"), max_length=16)
    object_id = models.PositiveBigIntegerField()
    # The record's unit (for scope), and its plan for plans and topics, whose visibility
    # also follows the units the plan gives duties to.
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    title = models.TextField(_("title"), blank=True)
    # The words as written, quoted in results; never a resident's contact details.
    text = models.TextField(blank=True)
    folded_title = models.TextField(blank=True)
    folded_body = models.TextField(blank=True)
    # Words the word index filters on, never typed by anyone: the kind ("zzkactivity") and
    # who may see the record ("zzall"; "zzu<id>" for its unit and every unit above it;
    # "zzp<id>" for a plan's own records). See kehoach/search/index.py.
    folded_scope = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_entry_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
