"""Originals go private; which library pictures each body shows is recorded.

- `Image.file` moves to the private "originals" storage (no schema change). The
  files of existing rows are moved from the media storage into it under the
  same names, so `Image.file.name` stays what it was (images.storage.originals_move:
  idempotent, run again by `cangxanh renditions`).
- `BodyImage` rows are made for the bodies that already show library pictures.

Renditions are not made here: their record's key changed (images.renditions
VERSION 2), so each image gets new, stripped files on its first page view,
or all at once with `cangxanh renditions`, which also deletes the old ones.
"""

import django.db.models.deletion
from django.db import migrations, models

import cangxanh.images.storage
import cangxanh.images.validation


def originals_private(apps, schema_editor):
    from cangxanh.images.storage import originals_move

    Image = apps.get_model("images", "Image")
    names = Image.objects.using(schema_editor.connection.alias).values_list("file", flat=True)
    originals_move(list(names))


def body_images_record(apps, schema_editor):
    from cangxanh.images.bodies import library_names

    alias = schema_editor.connection.alias
    Image = apps.get_model("images", "Image")
    BodyImage = apps.get_model("images", "BodyImage")
    ArticleTranslation = apps.get_model("news", "ArticleTranslation")
    rows = ArticleTranslation.objects.using(alias).filter(body__contains="<img")
    found = {}
    for pk, body in rows.values_list("pk", "body").iterator():
        names = library_names(body)
        if names:
            found[pk] = names
    every_name = {name for names in found.values() for name in names}
    ids = dict(
        Image.objects.using(alias).filter(file__in=every_name).values_list("file", "pk")
    )
    BodyImage.objects.using(alias).bulk_create(
        [
            BodyImage(translation_id=pk, image_id=ids[name])
            for pk, names in found.items()
            for name in names
            if name in ids
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0003_focal_point_renditions"),
        ("news", "0004_body_help"),
    ]

    operations = [
        migrations.AlterField(
            model_name="image",
            name="file",
            field=models.ImageField(
                height_field="height",
                storage=cangxanh.images.storage.originals,
                upload_to="images/%Y/%m/",
                validators=[cangxanh.images.validation.validate_image_file],
                verbose_name="file",
                width_field="width",
            ),
        ),
        migrations.CreateModel(
            name="BodyImage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "image",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="in_bodies",
                        to="images.image",
                    ),
                ),
                (
                    "translation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="news.articletranslation",
                    ),
                ),
            ],
            options={
                "verbose_name": "picture in an article's text",
                "verbose_name_plural": "pictures in articles' texts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("translation", "image"), name="bodyimage_once_per_translation"
                    )
                ],
            },
        ),
        migrations.RunPython(body_images_record, migrations.RunPython.noop),
        migrations.RunPython(originals_private, migrations.RunPython.noop),
    ]
