from django.db import migrations


def load(apps, schema_editor):
    from cqc.loader import load_reference

    load_reference(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("cqc", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
