"""Create the audit chain's head row up front, so the very first two writers cannot both
try to create it: from here on appending only ever locks the existing row."""

from django.db import migrations


def create_head(apps, schema_editor):  # type: ignore[no-untyped-def]
    head = apps.get_model("core", "AuditChainHead")
    head.objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_json_as_canonical_text")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
