"""The assessment's answer moves from a JSON column to zlib-compressed JSON text
(`CompressedJSONField`, same attribute `result`); existing snapshots are converted, nothing
is lost. docs/design/registry.md, "Performance"."""

import json
import zlib

from django.db import migrations, models

import aioffice.registry.models

LEVEL = 3  # models.ANSWER_COMPRESSION_LEVEL when this migration was written


def compress(apps, schema_editor):
    Assessment = apps.get_model("registry", "Assessment")
    rows = Assessment.objects.values_list("pk", "result").iterator(chunk_size=500)
    for pk, result in rows:
        text = json.dumps(result, separators=(",", ":"), ensure_ascii=False)
        Assessment.objects.filter(pk=pk).update(compressed=zlib.compress(text.encode(), LEVEL))


def decompress(apps, schema_editor):
    Assessment = apps.get_model("registry", "Assessment")
    rows = Assessment.objects.values_list("pk", "compressed").iterator(chunk_size=500)
    for pk, answer in rows:
        Assessment.objects.filter(pk=pk).update(result=answer)  # decoded when read


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_procedure"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="compressed",
            field=aioffice.registry.models.CompressedJSONField(editable=False, null=True),
        ),
        # Nullable while both columns exist, so that the way back can refill it.
        migrations.AlterField(
            model_name="assessment",
            name="result",
            field=models.JSONField(editable=False, null=True),
        ),
        migrations.RunPython(compress, decompress, elidable=False),
        migrations.RemoveField(model_name="assessment", name="result"),
        migrations.RenameField(model_name="assessment", old_name="compressed", new_name="result"),
        migrations.AlterField(
            model_name="assessment",
            name="result",
            field=aioffice.registry.models.CompressedJSONField(editable=False),
        ),
    ]
