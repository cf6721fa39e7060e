"""The kind "event" (news.kinds): where calendar entries live on the site, and their
facts — when, the host unit, the leaders who attend, whether it is cancelled.

The facts travel as JSON under the key "extra" of `editorial.facts` (so a change to
a published engagement waits in the original's new version until an approver
publishes it); `EventKindFacts.apply` is the only writer of `EventFacts` and
`EventLeader`. Times are kept in that JSON as UTC ISO 8601 to the second.
"""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cangxanh.news import kinds
from cangxanh.news.models import Article, Person, reverse_in

from .models import HOST_KIND, KIND, EventFacts, EventLeader

# The first path words under /<lang>/ that are the calendar's.
PATH_WORDS = ("calendar", "calendar.ics")


def _local_midnight(value: datetime) -> datetime:
    zone = timezone.get_default_timezone()
    day = timezone.localtime(value, zone).date()
    return datetime.combine(day, time.min, tzinfo=zone)


class EventKindFacts(kinds.KindFacts):
    def live(self, article) -> dict:
        row = EventFacts.objects.filter(article_id=article.pk).first()
        if row is None:
            return {}
        return {
            "starts_at": kinds.utc_text(row.starts_at),
            "ends_at": kinds.utc_text(row.ends_at) if row.ends_at else None,
            "all_day": row.all_day,
            "host": row.host_id,
            "cancelled": row.cancelled,
            "leaders": list(
                row.leaders.order_by("position", "id").values_list("person_id", flat=True)
            ),
        }

    def normalised(self, extra: dict) -> dict:
        starts_at = kinds.moment(
            extra.get("starts_at"),
            missing=gettext("Give the time the engagement starts."),
            invalid=gettext("The start is not a date and time."),
        )
        ends_at = kinds.moment(
            extra.get("ends_at"), missing="", invalid=gettext("The end is not a date and time.")
        )
        all_day = bool(extra.get("all_day"))
        if all_day:
            # A whole day (or days) is dates, not moments: kept as local midnights.
            starts_at = _local_midnight(starts_at)
            ends_at = _local_midnight(ends_at) if ends_at is not None else None
            if ends_at == starts_at:
                ends_at = None
        if ends_at is not None and ends_at < starts_at:
            raise ValidationError(gettext("The engagement cannot end before it starts."))
        host = kinds.optional_id(extra.get("host"), gettext("Choose the host unit from the list."))
        if host is not None and not Article.objects.filter(pk=host, kind=HOST_KIND).exists():
            raise ValidationError(gettext("The host unit must be one of the agency's pages."))
        leaders = []
        for value in extra.get("leaders") or []:
            pk = kinds.optional_id(value, gettext("Choose the leaders from the list."))
            if pk not in leaders:
                leaders.append(pk)
        known = set(Person.objects.filter(pk__in=leaders).values_list("pk", flat=True))
        if missing := [str(pk) for pk in leaders if pk not in known]:
            raise ValidationError(
                gettext("These leaders do not exist: %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return {
            "starts_at": kinds.utc_text(starts_at),
            "ends_at": kinds.utc_text(ends_at) if ends_at is not None else None,
            "all_day": all_day,
            "host": host,
            "cancelled": bool(extra.get("cancelled")),
            "leaders": leaders,
        }

    def apply(self, article, extra: dict) -> None:
        if not extra:
            return
        with transaction.atomic():
            row, _created = EventFacts.objects.update_or_create(
                article_id=article.pk,
                defaults={
                    "starts_at": parse_datetime(extra["starts_at"]),
                    "ends_at": parse_datetime(extra["ends_at"]) if extra["ends_at"] else None,
                    "all_day": extra["all_day"],
                    "host_id": extra["host"],
                    "cancelled": extra["cancelled"],
                },
            )
            wanted = list(extra["leaders"])
            if list(row.leaders.values_list("person_id", flat=True)) != wanted:
                row.leaders.all().delete()
                for position, person_id in enumerate(wanted):
                    EventLeader.objects.create(event=row, person_id=person_id, position=position)

    def changes(self, before: dict, after: dict) -> list[tuple[str, str, str]]:
        rows = []

        def moment(value, all_day):
            if not value:
                return "—"
            local = timezone.localtime(parse_datetime(value))
            return formats.date_format(local, "DATE_FORMAT" if all_day else "DATETIME_FORMAT")

        for key, label in (("starts_at", _("starts")), ("ends_at", _("ends"))):
            if before.get(key) != after.get(key):
                rows.append(
                    (
                        str(label),
                        moment(before.get(key), before.get("all_day")),
                        moment(after.get(key), after.get("all_day")),
                    )
                )
        for key, label in (("all_day", _("all day")), ("cancelled", _("cancelled"))):
            if bool(before.get(key)) != bool(after.get(key)):
                rows.append((str(label), _yes_no(before.get(key)), _yes_no(after.get(key))))
        if before.get("host") != after.get("host"):
            rows.append(
                (str(_("host unit")), _article(before.get("host")), _article(after.get("host")))
            )
        if (before.get("leaders") or []) != (after.get("leaders") or []):
            ids = (before.get("leaders") or []) + (after.get("leaders") or [])
            names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
            rows.append(
                (
                    str(_("leaders")),
                    ", ".join(names.get(pk, "?") for pk in before.get("leaders") or []) or "—",
                    ", ".join(names.get(pk, "?") for pk in after.get("leaders") or []) or "—",
                )
            )
        return rows


def _yes_no(value) -> str:
    return gettext("yes") if value else gettext("no")


def _article(pk) -> str:
    if not pk:
        return "—"
    found = Article.objects.prefetch_related("translations").filter(pk=pk).first()
    return str(found) if found else "—"


def entry_url(row) -> str:
    """An engagement's own address: it leads to the week that holds it (views.entry)."""
    return reverse_in(row.language, "agenda:entry", article_id=row.article_id)


def before_step(current, action: str, pending) -> None:
    """The workflow's check before a step (news.kinds `before_step`): an engagement's
    waiting facts are checked again as they are published, since a leader or the host
    unit they name may have been deleted while they waited (ValidationError, which the
    workflow shows; nothing changes, never a database error)."""
    if action != "publish" or pending is None or not pending.facts:
        return  # editorial.models.Action.PUBLISH, by name: the newsroom is above this app
    extra = pending.facts.get("extra")
    if extra:
        EventKindFacts().normalised(extra)


def _render_preview(*args, **kwargs):
    from .views import render_preview

    return render_preview(*args, **kwargs)


def register() -> None:
    kinds.register(
        kinds.Kind(
            KIND,
            _("calendar entry"),
            _("calendar entries"),
            url=entry_url,
            list_url=lambda lang: reverse_in(lang, "agenda:week"),
            # Readers and crawlers use the week pages and the .ics feeds.
            searchable=False,
            in_sitemap=False,
            facts=EventKindFacts(),
            render=_render_preview,
            before_step=before_step,
        )
    )
    kinds.reserve(*PATH_WORDS)
