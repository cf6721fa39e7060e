"""Loads the demo content written for this project (content/*.toml).

Idempotent: every object carries an import key, and an object that exists
already is left exactly as it is (a site identity only gets the footer fields
it still lacks), so a second run changes nothing.
"""

import io
import tomllib
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from cangxanh.core import languages
from cangxanh.core.models import AgencyLink, AgencyLinkName, SiteIdentity
from cangxanh.delivery import version
from cangxanh.editorial import workflow
from cangxanh.editorial.editing import pending_of, translation_save_text
from cangxanh.editorial.models import Action, Revision
from cangxanh.editorial.revisions import mark_approved
from cangxanh.editorial.revisions import record as record_revision
from cangxanh.images.models import Image, ImageText
from cangxanh.images.renditions import image_renditions_ensure_many
from cangxanh.news.models import (
    Article,
    ArticleImage,
    ArticleTranslation,
    Person,
    PersonPosition,
    Section,
    SectionTranslation,
    Source,
    Status,
)
from cangxanh.registry.demo import load_registry
from cangxanh.search.index import index_rebuild

from .agency import load_agency
from .agenda import load_calendar
from .consultations import load_consultations
from .documents import load_documents
from .markup import markup_to_html
from .questions import load_questions

CONTENT = Path(__file__).parent / "content"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_USERNAME = "admin"
DEMO_PASSWORD = "cangxanh-demo"  # documented in the README as demo-only
# Readers of a Vietnamese city portal: most read Vietnamese, then English, ...
VIEW_SHARE = {"vi": 1.0, "en": 0.34, "ko": 0.17, "ja": 0.14, "zh-hans": 0.11}


@dataclass
class Report:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def __str__(self) -> str:
        if not self.created:
            return "Demo content is already loaded: nothing changed."
        return (
            "Created " + ", ".join(f"{n} {kind}" for kind, n in sorted(self.created.items())) + "."
        )


def _toml(name: str) -> dict:
    with open(CONTENT / name, "rb") as fh:
        return tomllib.load(fh)


def _enabled(lang: str) -> bool:
    return lang in languages.codes()


def load_site(report: Report) -> None:
    for lang, data in _toml("site.toml").items():
        if not _enabled(lang):
            continue
        row = SiteIdentity.objects.filter(language=lang).first()
        if row is None:
            SiteIdentity.objects.create(language=lang, **data)
            report.add("site identities")
            continue
        # An identity loaded by an older demo lacks the footer fields added since:
        # those still blank are filled, never one that holds anything.
        blank = [name for name, value in data.items() if value and not getattr(row, name)]
        if blank:
            for name in blank:
                setattr(row, name, data[name])
            row.save(update_fields=blank)
            report.add("site identities completed with footer fields")


def load_links(report: Report) -> None:
    """Links to other state agencies' portals (links.toml), found by import key or address."""
    for position, data in enumerate(_toml("links.toml")["link"]):
        exists = AgencyLink.objects.filter(Q(import_key=data["key"]) | Q(url=data["url"])).exists()
        if exists:
            continue
        link = AgencyLink.objects.create(import_key=data["key"], url=data["url"], position=position)
        report.add("agency links")
        for lang in languages.codes():
            if data.get(lang):
                AgencyLinkName.objects.create(link=link, language=lang, name=data[lang])


def load_sections(report: Report) -> dict[str, Section]:
    sections = {}
    for position, data in enumerate(_toml("sections.toml")["section"]):
        section, created = Section.objects.get_or_create(
            key=data["key"], defaults={"position": position}
        )
        if created:
            report.add("sections")
            for lang in languages.codes():
                if lang in data:
                    SectionTranslation.objects.create(section=section, language=lang, **data[lang])
        sections[data["key"]] = section
    return sections


def load_people(report: Report) -> dict[str, Person]:
    people = {}
    for data in _toml("people.toml")["person"]:
        person, created = Person.objects.get_or_create(
            import_key=data["key"], defaults={"name": data["name"]}
        )
        if created:
            report.add("people")
            for lang in languages.codes():
                if data.get(lang):
                    PersonPosition.objects.create(person=person, language=lang, position=data[lang])
        people[data["key"]] = person
    return people


def load_sources(report: Report) -> dict[str, Source]:
    sources = {}
    for data in _toml("sources.toml")["source"]:
        source, created = Source.objects.get_or_create(
            import_key=data["key"], defaults={"name": data["name"], "url": data.get("url", "")}
        )
        if created:
            report.add("sources")
        sources[data["key"]] = source
    return sources


def _render_illustration(key: str) -> bytes:
    from .illustrations import draw

    buffer = io.BytesIO()
    draw(key).save(buffer, "JPEG", quality=86, optimize=True, progressive=True)
    return buffer.getvalue()


def load_images(report: Report) -> dict[str, Image]:
    images = {}
    for data in _toml("images.toml")["image"]:
        image = Image.objects.filter(import_key=data["key"]).first()
        if image is None:
            image = Image(import_key=data["key"], credit=data.get("credit", ""))
            image.file.save(
                f"{data['key']}.jpg", ContentFile(_render_illustration(data["key"])), save=False
            )
            image.save()
            for lang in languages.codes():
                if lang in data:
                    ImageText.objects.create(image=image, language=lang, **data[lang])
            report.add("images")
        images[data["key"]] = image
    return images


def _views(base: int, lang: str, key: str, given: int | None) -> int:
    if given is not None:
        return given
    jitter = 0.8 + (zlib.crc32(f"{key}:{lang}".encode()) % 400) / 1000  # 0.8 .. 1.2, stable
    return int(base * VIEW_SHARE.get(lang, 0.1) * jitter)


def load_articles(report: Report, sections, people, sources, images) -> None:
    for path in sorted((CONTENT / "articles").glob("*.toml")):
        key = path.stem
        if Article.objects.filter(import_key=key).exists():
            continue
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        published = datetime.strptime(data["published"], "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL)
        article = Article.objects.create(
            import_key=key,
            section=sections[data["section"]],
            original_language=data.get("original_language", "vi"),
            author=people.get(data.get("author", "")),
            source=sources.get(data.get("source", "")),
            source_url=data.get("source_url", ""),
        )
        for position, image_key in enumerate(data.get("images", [])):
            ArticleImage.objects.create(article=article, image=images[image_key], position=position)
        for lang in languages.codes():
            text = data.get(lang)
            if not text:
                continue
            translation = ArticleTranslation.objects.create(
                article=article,
                language=lang,
                title=text["title"].strip(),
                slug=text.get("slug", ""),
                lead=text.get("lead", "").strip(),
                body=markup_to_html(text["body"]),
                status=text.get("status", Status.PUBLISHED),
                published_at=published,
                view_count=_views(int(data.get("views", 500)), lang, key, text.get("views")),
            )
            if translation.status == Status.PUBLISHED:
                mark_approved(translation)  # as an approver would have published it
            else:
                record_revision(translation)
        # Every translation was made from the original as it stands.
        original = article.translations.filter(language=article.original_language).first()
        basis = original.revisions.order_by("-number").first() if original else None
        article.translations.exclude(language=article.original_language).update(
            translated_from=basis
        )
        # Timestamps as if the article had been written when it was published.
        Article.objects.filter(pk=article.pk).update(created_at=published, updated_at=published)
        ArticleTranslation.objects.filter(article=article).update(
            created_at=published, updated_at=published
        )
        report.add("articles")


# Demo-only accounts, one per role (documented in the README): never in production.
DEMO_STAFF = [
    # username, role, languages
    ("approver", "Approver", []),
    ("editor", "Editor", ["vi"]),
    ("translator", "Translator", ["en", "ko"]),
    ("registry", "Registry officer", ["vi"]),
]


def load_users(report: Report) -> None:
    from django.contrib.auth.models import Group

    from cangxanh.editorial.models import StaffProfile
    from cangxanh.editorial.roles import ADMINISTRATOR, ensure_roles

    ensure_roles()
    User = get_user_model()
    if not User.objects.filter(username=DEMO_USERNAME).exists():
        admin = User.objects.create_superuser(
            DEMO_USERNAME, "admin@cangxanh.invalid", DEMO_PASSWORD
        )
        admin.groups.add(Group.objects.get(name=ADMINISTRATOR))
        report.add("users")
    for username, role, langs in DEMO_STAFF:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(
            username, f"{username}@cangxanh.invalid", DEMO_PASSWORD, is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, languages=langs)
        report.add("users")


def load_newsroom(report: Report) -> None:
    """Work in progress from `newsroom.toml`: an original revised after translation, a
    published translation's new version waiting for approval. Applied once."""
    data = _toml("newsroom.toml")
    User = get_user_model()
    for item in data.get("revised_original", []):
        article = Article.objects.filter(import_key=item["article"]).first()
        if article is None:
            continue
        original = article.translations.get(language=article.original_language)
        if Revision.objects.filter(translation=original, note="demo").exists():
            continue
        paragraph = markup_to_html(item["append_paragraph"])
        translation_save_text(
            translation=original,
            text={
                "title": original.title,
                "slug": original.slug,
                "lead": original.lead,
                "body": original.body + paragraph,
            },
            user=User.objects.get(username=item["author"]),
            note="demo",
        )
        approver = User.objects.get(username="approver")
        if pending_of(original) is not None:
            workflow.perform(original, Action.PUBLISH, approver)
        report.add("revisions")
    for item in data.get("new_version", []):
        translation = ArticleTranslation.objects.filter(
            article__import_key=item["article"], language=item["language"]
        ).first()
        if translation is None or pending_of(translation) is not None:
            continue
        if Revision.objects.filter(translation=translation, note="demo").exists():
            continue
        user = User.objects.get(username=item["author"])
        text = {field: getattr(translation, field) for field in ("title", "slug", "lead", "body")}
        text |= {field: item[field] for field in ("title", "lead") if field in item}
        translation_save_text(translation=translation, text=text, user=user, note="demo")
        if item.get("state") == "review":
            workflow.perform(translation, Action.SUBMIT, user)
        report.add("new versions")


def load_daily_views(report: Report) -> None:
    """Thirty days of daily view buckets for the published translations, so that "most read
    today, this week, this month" has something to rank in the demo.

    Deterministic (crc32 of the article key, language and day, like `_views`): a
    translation is read about 0.5 % of its total a day, give or take 60 %, four times
    as much around one busy day of its own in the window, and never before it was
    published. The thirty days add up to about a fifth of `view_count`, not to all of
    it: the totals stand for years of reading. Idempotent: a day that already has a
    bucket (from an earlier run or from real views) is left as it is, so a second run
    on the same day creates nothing; a run on a later day adds the days since.
    """
    from datetime import timedelta

    from django.utils import timezone

    from cangxanh.stats.models import DailyViews

    days = 30
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    existing = set(DailyViews.objects.filter(day__gte=first).values_list("translation_id", "day"))
    rows = (
        ArticleTranslation.objects.published()
        .filter(view_count__gt=0)
        .values_list("pk", "language", "article__import_key", "view_count", "published_at")
    )
    new = []
    for pk, lang, key, total, published_at in rows:
        seed = f"{key}:{lang}"
        published_day = timezone.localdate(published_at)
        busy = zlib.crc32(f"{seed}:busy".encode()) % days
        for offset in range(days):
            day = first + timedelta(days=offset)
            if day < published_day or (pk, day) in existing:
                continue
            noise = 0.4 + (zlib.crc32(f"{seed}:{day.isoformat()}".encode()) % 1200) / 1000
            count = round(total * 0.005 * noise * (4 if abs(offset - busy) <= 1 else 1))
            if count:
                new.append(DailyViews(translation_id=pk, day=day, count=count))
    DailyViews.objects.bulk_create(new, batch_size=1000)
    if new:
        report.created["daily views"] = report.created.get("daily views", 0) + len(new)
    load_daily_referrers(report, new)


# Shares of the demo's views by kind of referrer (stats.referrers), in thousandths;
# each day's split moves a little (crc32 of the day), the rest is direct.
_REFERRER_SHARES = {"search": 430, "social": 260, "internal": 120, "other": 50}


def load_daily_referrers(report: Report, views) -> None:
    """Where the demo's new daily views came from, by kind: each day's views split
    between search engines, social networks, this portal, other sites and direct
    visits, so the newsroom's visit statistics have something to show. Only days that
    got new view buckets, and only kinds without a bucket that day (idempotent)."""
    from cangxanh.stats.models import DailyReferrers

    per_day: dict = {}
    for row in views:
        per_day[row.day] = per_day.get(row.day, 0) + row.count
    existing = set(DailyReferrers.objects.filter(day__in=list(per_day)).values_list("day", "kind"))
    new = []
    for day, total in sorted(per_day.items()):
        left = total
        for kind, share in _REFERRER_SHARES.items():
            wobble = 0.8 + (zlib.crc32(f"{kind}:{day.isoformat()}".encode()) % 400) / 1000
            count = min(left, round(total * share / 1000 * wobble))
            left -= count
            if count and (day, kind) not in existing:
                new.append(DailyReferrers(day=day, kind=kind, count=count))
        if left and (day, "direct") not in existing:
            new.append(DailyReferrers(day=day, kind="direct", count=left))
    DailyReferrers.objects.bulk_create(new)
    if new:
        key = "daily referrer buckets"
        report.created[key] = report.created.get(key, 0) + len(new)


def load_demo() -> Report:
    report = Report()
    # One bump at the end, not two per saved row (about a fifth of the load's time).
    with version.deferred(), transaction.atomic():
        load_site(report)
        load_links(report)
        sections = load_sections(report)
        people = load_people(report)
        sources = load_sources(report)
        images = load_images(report)
        load_articles(report, sections, people, sources, images)
        load_agency(report)  # the agency's pages (demo/agency.py)
        load_users(report)
        load_newsroom(report)
        load_calendar(report)
        load_questions(report)  # questions and answers (demo/questions.py)
        load_documents(report)  # legal documents and their files (demo/documents.py)
        load_consultations(report)  # after the users: an approver moderates the comments
        # The office's registries (registry/demo.py): the officer adds, the approver publishes.
        load_registry(report)
        load_daily_views(report)
    # Every picture's renditions now, not on a reader's first visit, once the rows are
    # committed: in parallel, a process per CPU (about 460 files, each a CPU's work).
    made = image_renditions_ensure_many(images=Image.objects.exclude(import_key=None))
    if made:
        report.created["renditions"] = made
    # The demo's translations are written directly, so the search index is made once, here.
    index_rebuild()
    version.bump()  # rows were also written with update(), which sends no signal
    return report
