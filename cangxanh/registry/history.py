"""Revisions, publication and withdrawal of registry records.

`record()` keeps a numbered `Revision` of the whole record (with its texts, members
and attachments) after every add and change, and before a delete. `publish()` is the
only way readers get to see a record or a change of it: an approver makes the public
copy from the record as it is now (`public_view()`, the public fields only).
`withdraw()` takes the public copy away. Both are revisions too, so the history
reads as the audit log of the record.
"""

from __future__ import annotations

import datetime
import decimal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import models as registry

# Related rows kept inside a record's revision: (related name, fields left out).
CHILDREN = {
    "partner": ("texts",),
    "delegation": ("texts", "members", "attachments"),
    "agreement": ("texts",),
    "organisation": (),
    "aidproject": ("texts",),
}


def can_publish(user) -> bool:
    return bool(
        user and user.is_active and (user.is_superuser or user.has_perm("registry.publish_record"))
    )


def _value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    if hasattr(value, "code"):  # a django-countries Country
        return value.code
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultipleCountriesDescriptor":
        return [_value(v) for v in value]
    return value


def _fields(obj) -> dict:
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"id", "public_data", "published_at", "published_revision", "updated_at"}:
            continue
        if isinstance(field, models.ForeignKey):
            out[field.name] = getattr(obj, field.attname)
            continue
        out[field.name] = _value(getattr(obj, field.name))
    for field in obj._meta.many_to_many:
        out[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return out


def snapshot(obj) -> dict:
    """The whole record, JSON-ready: its fields and its related rows."""
    data = _fields(obj)
    for related in CHILDREN.get(obj._meta.model_name, ()):
        rows = []
        for row in getattr(obj, related).all().order_by("pk"):
            fields = _fields(row)
            parent = next(
                f.name for f in row._meta.concrete_fields if f.related_model is obj.__class__
            )
            fields.pop(parent, None)
            rows.append(fields)
        data[related] = rows
    return data


def revisions(obj) -> models.QuerySet:
    return registry.Revision.objects.filter(
        model=obj._meta.model_name, object_id=obj.pk
    ).select_related("user")


def _changed(before: dict | None, after: dict) -> list[str]:
    if before is None:
        return []
    keys = sorted(set(before) | set(after))
    return [key for key in keys if before.get(key) != after.get(key)]


def record(obj, action: str, user=None, comment: str = "", *, force: bool = False):
    """Keep a revision of `obj` after `action`; a change that changed nothing keeps
    nothing (unless `force`). Returns the revision or None."""
    data = snapshot(obj)
    last = revisions(obj).order_by("-number").first()
    changed = _changed(last.data if last else None, data)
    if action == registry.Action.CHANGE and last is not None and not changed and not force:
        return None
    return registry.Revision.objects.create(
        model=obj._meta.model_name,
        object_id=obj.pk,
        number=(last.number + 1) if last else 1,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        label=str(obj)[:300],
        data=data,
        changed=changed,
        comment=comment[:500],
    )


def state(obj) -> str:
    """ "draft" (readers see nothing and nothing is asked), "live" (readers see the
    record as it is), "waiting" (a change, a first publication or a withdrawal waits
    for an approver)."""
    if obj.public_data is None:
        return "waiting" if obj.public else "draft"
    if not obj.public:
        return "waiting"
    return "live" if obj.public_data == _normal(obj.public_view()) else "waiting"


def _normal(data: dict) -> dict:
    # What a JSON column gives back (tuples as lists, and so on).
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@transaction.atomic
def publish(obj, user, comment: str = ""):
    """Readers see `obj` as it is now (the approver's step). Returns the revision."""
    if not can_publish(user):
        raise PermissionDenied(_("Only approvers publish registry records."))
    obj = obj.__class__.objects.select_for_update().get(pk=obj.pk)
    if not obj.public:
        raise ValueError(_("This record is not marked to be shown to readers."))
    obj.public_data = _normal(obj.public_view())
    obj.published_at = timezone.now()
    revision = record(obj, registry.Action.PUBLISH, user, comment, force=True)
    obj.published_revision = revision.number
    obj.__class__.objects.filter(pk=obj.pk).update(
        public_data=obj.public_data,
        published_at=obj.published_at,
        published_revision=obj.published_revision,
    )
    return revision


@transaction.atomic
def withdraw(obj, user, comment: str = ""):
    """Readers no longer see `obj` (an approver's step too)."""
    if not can_publish(user):
        raise PermissionDenied(_("Only approvers withdraw registry records."))
    obj = obj.__class__.objects.select_for_update().get(pk=obj.pk)
    obj.public = False
    obj.public_data = None
    obj.published_at = None
    obj.published_revision = None
    obj.__class__.objects.filter(pk=obj.pk).update(
        public=False, public_data=None, published_at=None, published_revision=None
    )
    return record(obj, registry.Action.WITHDRAW, user, comment, force=True)
