"""Load the London-wide themes (reference data, see pipeline/reference.py)."""

from django.db import migrations

from interborough.pipeline.reference import THEMES


def load_themes(apps, schema_editor):
    Theme = apps.get_model("pipeline", "Theme")
    for position, ref in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=ref.slug,
            defaults={"name": ref.name, "description": ref.description, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]

    operations = [migrations.RunPython(load_themes, migrations.RunPython.noop)]
