"""The demo's leaders' calendar (content/calendar.toml): a month of engagements around
the load day, for three leaders, in five languages; one cancelled, one moved after
its publication through the workflow, as an approver would.

Idempotent like the rest of the demo: each engagement carries an import key
(`calendar-<key>`, with the week offset for weekly ones), and one that exists is
left as it is, so loading again on a later day adds nothing.
"""

import html
import tomllib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone

from cangxanh.agenda.models import HOST_KIND, KIND
from cangxanh.agenda.weeks import Week
from cangxanh.core import languages
from cangxanh.editorial import facts, workflow
from cangxanh.editorial.models import Action, WorkflowEvent
from cangxanh.editorial.revisions import mark_approved
from cangxanh.news.models import Article, ArticleTranslation, Person, PersonPosition, Status

if TYPE_CHECKING:
    from .loader import Report

CONTENT = Path(__file__).parent / "content"

# When an engagement was put in the calendar (the Tuesday before its week, in the
# afternoon) and when the moved one was moved (two days later): the calendar reads
# as if it had been kept over the month.
PUBLISHED_BEFORE = timedelta(days=5, hours=7, minutes=30)
CHANGED_AFTER = timedelta(days=1, hours=18, minutes=45)


def _body(attending: str) -> str:
    return "".join(f"<p>{html.escape(line.strip())}</p>" for line in attending.splitlines())


def _leaders(data: list[dict], report: "Report") -> dict[str, Person]:
    people = {}
    for item in data:
        person = Person.objects.filter(import_key=item["key"]).first()
        if person is None and "name" in item:
            person = Person.objects.create(import_key=item["key"], name=item["name"])
            for lang in languages.codes():
                if item.get(lang):
                    PersonPosition.objects.create(person=person, language=lang, position=item[lang])
            report.add("people")
        if person is not None:
            people[item["key"]] = person
    return people


def _moment(day: date, clock: str | None) -> datetime:
    hours, minutes = (int(part) for part in (clock or "00:00").split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=timezone.get_default_timezone())


def _extra(item: dict, day: date, people, hosts, **override) -> dict:
    values = item | override
    last = day + timedelta(days=values.get("end_day", values["day"]) - values["day"])
    if values.get("all_day"):
        starts_at = _moment(day, None)
        ends_at = _moment(last, None) if last != day else None
    else:
        starts_at = _moment(day, values["start"])
        ends_at = _moment(last, values["end"]) if values.get("end") else None
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "all_day": bool(values.get("all_day")),
        "host": hosts.get(values.get("host")),
        "cancelled": bool(values.get("cancelled")),
        "leaders": [people[key].pk for key in values.get("leaders", []) if key in people],
    }


def _facts(extra: dict) -> dict:
    return {
        "section": None,
        "author": None,
        "source": None,
        "source_url": "",
        "images": [],
        "extra": extra,
    }


def load_calendar(report: "Report") -> None:
    with open(CONTENT / "calendar.toml", "rb") as fh:
        data = tomllib.load(fh)
    User = get_user_model()
    # The demo's administrator writes the calendar, its approver publishes the change.
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    approver = User.objects.filter(username="approver").first() or admin
    people = _leaders(data.get("leader", []), report)
    host_keys = {item["host"] for item in data["entry"] if item.get("host")}
    hosts = dict(
        Article.objects.filter(kind=HOST_KIND, import_key__in=host_keys).values_list(
            "import_key", "pk"
        )
    )
    monday = Week.containing(timezone.localdate()).monday
    now = timezone.now()
    for item in data["entry"]:
        weekly = "weeks" in item
        for offset in item.get("weeks", [item.get("week", 0)]):
            key = f"calendar-{item['key']}" + (f"-{offset}" if weekly else "")
            if Article.objects.filter(import_key=key).exists():
                continue
            day = monday + timedelta(weeks=offset, days=item["day"] - 1)
            article = Article.objects.create(import_key=key, kind=KIND, original_language="vi")
            facts.article_save_facts(
                article=article, facts=_facts(_extra(item, day, people, hosts)), user=admin
            )
            published = min(_moment(monday + timedelta(weeks=offset), None) - PUBLISHED_BEFORE, now)
            original = None
            for lang in languages.codes():
                text = item.get(lang)
                if not text:
                    continue
                row = ArticleTranslation.objects.create(
                    article=article,
                    language=lang,
                    title=text["title"],
                    lead=text.get("where", ""),
                    body=_body(text.get("attending", "")),
                    status=Status.PUBLISHED,
                    published_at=published,
                    translated_from=original.revisions.order_by("-number").first()
                    if original
                    else None,
                )
                mark_approved(row)  # as an approver would have published it
                original = original or row
            if "changed" in item:
                # Moved after publication: the new facts wait, then an approver publishes them.
                moved = _extra(item, day, people, hosts, **item["changed"])
                facts.article_save_facts(article=article, facts=_facts(moved), user=admin)
                event = workflow.perform(original, Action.PUBLISH, approver)
                changed = min(published + CHANGED_AFTER, now)
                WorkflowEvent.objects.filter(pk=event.pk).update(created_at=changed)
            report.add("calendar entries")
