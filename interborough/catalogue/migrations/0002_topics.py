"""Load the catalogue's topics (reference data, see catalogue/reference.py)."""

from django.db import migrations

from interborough.catalogue.reference import TOPICS


def load_topics(apps, schema_editor):
    Topic = apps.get_model("catalogue", "Topic")
    for position, ref in enumerate(TOPICS):
        Topic.objects.update_or_create(
            slug=ref.slug,
            defaults={"name": ref.name, "data_theme": ref.data_theme, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load_topics, migrations.RunPython.noop)]
