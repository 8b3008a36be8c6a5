import django.db.models.deletion
from django.db import migrations, models


def install_word_index(apps, schema_editor) -> None:
    # SQLite gets an FTS5 table with triggers, PostgreSQL a generated tsvector with a GIN
    # index; other databases search nothing until they get their own.
    from kehoach.search.index import install_word_index

    install_word_index(schema_editor.connection)


def remove_word_index(apps, schema_editor) -> None:
    from kehoach.search.index import remove_word_index

    remove_word_index(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("org", "0001_initial"),
        ("plans", "0002_plan_export"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=16, verbose_name="kind of record")),
                ("object_id", models.PositiveBigIntegerField()),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="org.unit",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="plans.plan",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("title", models.TextField(blank=True, verbose_name="title")),
                ("text", models.TextField(blank=True)),
                ("folded_title", models.TextField(blank=True)),
                ("folded_body", models.TextField(blank=True)),
                ("folded_scope", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="one_entry_per_record"
                    )
                ],
            },
        ),
        migrations.RunPython(install_word_index, remove_word_index, elidable=False),
    ]
