"""The portal checks itself against what the law asks of a state agency's portal.

Each `Check` names what it looks at, its legal basis (the documents by number,
never guessed article numbers) and how to put it right; `run()` looks at the
install as it is now and answers ok, warn or fail with one line of detail.
`/editorial/compliance/` (`views.compliance`) runs them all for approvers and
administrators. Other rooms add their checks with `register()` in their
`AppConfig.ready()` (the documents and the questions do), so this module never
imports them.

Pages are rendered in this process through their own views (`_render`), never
fetched over HTTP from the site's own address: a server with one thread per
worker would wait on itself. Nothing is asked of the network, and a page read by
several checks is rendered once per run (some seventy renders in all, a few
seconds). A result's "put it right" link is offered only to those it opens for
(`Result.fix_permission`: the footer is the administrators').
"""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from django.conf import settings
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cangxanh.core import languages

OK, WARN, FAIL = "ok", "warn", "fail"

# The legal bases, by number (Vietnamese names: the law is read in Vietnamese).
DECREE_42 = "Nghị định 42/2022/NĐ-CP"
CIRCULAR_22 = "Thông tư 22/2023/TT-BTTTT"
PERSONAL_DATA = "Nghị định 13/2023/NĐ-CP"
SECURITY_LEVELS = "Nghị định 85/2016/NĐ-CP"
ACCESS_TO_INFORMATION = "Luật Tiếp cận thông tin 104/2016/QH13"

BACKUP_MAX_AGE = timedelta(days=2)  # a daily backup, with a day's grace


@dataclass
class Result:
    status: str  # OK, WARN or FAIL
    detail: str
    fix_url: str = ""
    # What the user needs to follow `fix_url` ("app.codename"; "" for none): the page
    # offers the link only to those it opens for, and others learn who can fix it.
    fix_permission: str = ""

    def fixable_by(self, user) -> bool:
        return bool(self.fix_url) and (
            not self.fix_permission or user.is_superuser or user.has_perm(self.fix_permission)
        )


@dataclass(frozen=True)
class Check:
    code: str
    title: str | Promise
    basis: str
    run: Callable[[], Result]


_CHECKS: dict[str, Check] = {}


def register(check: Check) -> Check:
    _CHECKS[check.code] = check
    return check


# The pages rendered during one `run_all`, by path: several checks read the same page.
_run = threading.local()


def run_all() -> list[tuple[Check, Result]]:
    """Every check with its result; a check that fails to run says so (fail), never a 500."""
    found = []
    _run.rendered = {}
    try:
        for check in _CHECKS.values():
            try:
                result = check.run()
            except Exception as error:  # noqa: BLE001 - one broken check must not hide the others
                result = Result(FAIL, _("The check could not run: %(error)s") % {"error": error})
            found.append((check, result))
    finally:
        _run.rendered = None
    return found


def _admin(name: str) -> str:
    return reverse(f"admin:{name}")


# --- The footer -------------------------------------------------------------------


def footer() -> Result:
    from cangxanh.core.checks import footer_missing

    missing = footer_missing()
    url = _admin("core_siteidentity_changelist")
    # The footer is a site setting: administrators only (core.admin).
    permission = "core.change_siteidentity"
    if not missing:
        return Result(
            OK,
            _(
                "Every language names the owner, the person responsible, the "
                "address, the phone and the e-mail."
            ),
            url,
            permission,
        )
    shown = ", ".join(f"{languages.get(lang).label}: {name}" for lang, name in missing[:8])
    return Result(
        FAIL, _("Missing in the footer: %(fields)s.") % {"fields": shown}, url, permission
    )


def english_agency() -> Result:
    """The agency's functions, structure, leaders and contacts, public in English."""
    from django.apps import apps as installed

    url = _admin("index")
    if not installed.is_installed("cangxanh.agency"):
        return Result(FAIL, _("The agency pages are not installed."), url)
    from cangxanh.agency.checks import english_missing
    from cangxanh.agency.models import AgencyPage, Key

    url = _admin(f"{AgencyPage._meta.app_label}_{AgencyPage._meta.model_name}_changelist")
    missing = english_missing()
    if missing:
        return Result(
            FAIL,
            _("Not public in English: %(pages)s.")
            % {"pages": ", ".join(str(Key(key).label) for key in missing)},
            url,
            "news.change_article",
        )
    return Result(
        OK,
        _("Functions and tasks, structure, leaders and contacts are public in English."),
        url,
        "news.change_article",
    )


# --- Pictures ---------------------------------------------------------------------


def alt_texts() -> Result:
    """Public pictures without alt text in a language whose public pages show them."""
    from cangxanh.images.access import used_by
    from cangxanh.images.models import Image
    from cangxanh.news.models import ArticleTranslation

    lacking = set()
    for lang in languages.codes():
        public = ArticleTranslation.objects.published().in_language(lang)
        lacking.update(
            Image.objects.filter(used_by(public))
            .exclude(texts__language=lang)
            .values_list("pk", flat=True)
        )
    url = _admin("images_image_changelist")
    permission = "images.change_image"
    if not lacking:
        return Result(
            OK, _("Every picture on a public page has alt text in its language."), url, permission
        )
    return Result(
        FAIL,
        ngettext(
            "%(count)d picture on public pages has no alt text in a language it is shown in.",
            "%(count)d pictures on public pages have no alt text in a language they are shown in.",
            len(lacking),
        )
        % {"count": len(lacking)},
        url,
        permission,
    )


# --- What machines read: sitemaps, feeds, page metadata -----------------------------


def _render(path: str):
    """The site's answer to GET `path`, made in this process by its view (once per run)."""
    rendered = getattr(_run, "rendered", None)
    if rendered is None:
        return _render_now(path)
    if path not in rendered:
        rendered[path] = _render_now(path)
    return rendered[path]


def _render_now(path: str):
    lang = path.split("/")[1] if path.count("/") > 1 else settings.LANGUAGE_CODE
    if lang not in languages.codes():
        lang = settings.LANGUAGE_CODE
    request = RequestFactory().get(path, HTTP_HOST=_host())
    request.user = _anonymous()
    request.LANGUAGE_CODE = lang
    with translation.override(lang):  # the language prefix resolves in its own language
        match = resolve(unquote(path))
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
    return response


def _host() -> str:
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    return hosts[0] if hosts else "localhost"


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def machine_readable() -> Result:
    """The sitemap index and the news feed in every language answer, and parse."""
    from xml.etree import ElementTree

    paths = ["/sitemap.xml", *(f"/{code}/feed/" for code in languages.codes())]
    broken = []
    for path in paths:
        try:
            response = _render(path)
            if response.status_code != 200:
                broken.append(f"{path} ({response.status_code})")
                continue
            ElementTree.fromstring(response.content)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            broken.append(f"{path} ({type(error).__name__})")
    if broken:
        return Result(
            FAIL, _("Not answering as it should: %(paths)s.") % {"paths": ", ".join(broken)}
        )
    return Result(OK, _("The sitemap and the feeds of every language answer and are valid XML."))


def page_metadata() -> Result:
    """Home pages carry their language, a title, a description and a canonical address."""
    from lxml import html

    lacking = []
    for code in languages.codes():
        path = f"/{code}/"
        try:
            page = html.fromstring(_render(path).content)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            lacking.append(f"{path} ({type(error).__name__})")
            continue
        wanted = {
            "lang": page.get("lang"),
            "title": page.findtext(".//title"),
            "description": page.xpath("string(//meta[@name='description']/@content)"),
            "canonical": page.xpath("string(//link[@rel='canonical']/@href)"),
        }
        missing = [name for name, value in wanted.items() if not (value or "").strip()]
        if missing:
            lacking.append(f"{path} ({', '.join(missing)})")
    if lacking:
        return Result(
            FAIL, _("Pages without their metadata: %(pages)s.") % {"pages": ", ".join(lacking)}
        )
    return Result(
        OK,
        _(
            "The home page of every language names its language, title, "
            "description and canonical address."
        ),
    )


DUBLIN_CORE = ("DC.title", "DC.language", "DC.date", "DC.identifier")


def dublin_core() -> Result:
    """The newest public item of every kind with pages of its own (news, the agency's
    pages, documents, answers, consultations) in every language, and the agency's
    page, carry their Dublin Core description."""
    from lxml import html

    from cangxanh.news import kinds
    from cangxanh.news.models import ArticleTranslation

    paths = []
    for code in languages.codes():
        for kind in kinds.all_kinds():
            if not kind.in_sitemap:
                continue  # no page of its own (calendar entries live in their week)
            newest = (
                ArticleTranslation.objects.published()
                .of_kind(kind.code)
                .in_language(code)
                .order_by("-published_at", "-pk")
                .first()
            )
            if newest is not None:
                paths.append(newest.get_absolute_url())
                if kind.code == "page" and kind.list_url is not None:
                    paths.append(kind.list_url(code))  # /about/, the agency itself
    lacking = []
    for path in paths:
        try:
            response = _render(path)
            if response.status_code != 200:
                lacking.append(f"{path} ({response.status_code})")
                continue
            page = html.fromstring(response.content)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            lacking.append(f"{path} ({type(error).__name__})")
            continue
        missing = [
            name
            for name in DUBLIN_CORE
            if not page.xpath(f"string(//meta[@name='{name}']/@content)").strip()
        ]
        if missing:
            lacking.append(f"{unquote(path)} ({', '.join(missing)})")
    if lacking:
        return Result(
            FAIL,
            _("Pages without their Dublin Core description: %(pages)s.")
            % {"pages": ", ".join(lacking[:10])},
        )
    return Result(
        OK,
        ngettext(
            "%(count)d page checked: it carries its Dublin Core title, language, date and "
            "identifier.",
            "%(count)d pages checked, one of each kind per language: each carries its Dublin "
            "Core title, language, date and identifier.",
            len(paths),
        )
        % {"count": len(paths)},
    )


def _accessibility_problems(path: str, content: bytes) -> list[str]:
    """What a static reading of one page finds (the browser tests run axe itself)."""
    from lxml import html

    page = html.fromstring(content)
    found = []
    if not (page.get("lang") or "").strip():
        found.append("lang")
    if len(page.xpath("//h1")) != 1:
        found.append("h1")
    if page.xpath("//img[not(@alt)]"):
        found.append("img alt")
    if not page.xpath("//a[contains(@class, 'skip-link')][@href]"):
        found.append("skip link")
    labelled = set(page.xpath("//label/@for"))
    for control in page.xpath(
        "//input[not(@type='hidden') and not(@type='submit') and not(@type='button')]"
        " | //select | //textarea"
    ):
        if not (
            control.get("id") in labelled
            or control.get("aria-label")
            or control.get("aria-labelledby")
            or control.xpath("ancestor::label")
        ):
            found.append(f"label {control.get('name') or control.tag}")
    # A picture's duplicate link beside its headline is hidden from assistive technology.
    for link in page.xpath("//a[@href][not(@aria-hidden='true')]"):
        if not (
            link.text_content().strip()
            or link.get("aria-label")
            or link.xpath(".//img[normalize-space(@alt)]")
            or link.get("title")
        ):
            found.append(f"link text {link.get('href')}")
    return [f"{path} ({item})" for item in dict.fromkeys(found)]


def _kind_lists(code: str) -> list[str]:
    """The lists of the other kinds of content in a language (the agency's pages, the
    calendar, documents, questions, consultations): what each room shows readers."""
    from cangxanh.news import kinds

    return [
        kind.list_url(code)
        for kind in kinds.all_kinds()
        if kind.code != kinds.NEWS and kind.list_url is not None
    ]


def accessibility() -> Result:
    """Home, search, one article and each kind's list (the agency, the calendar…) per
    language: the basics a screen reader needs."""
    from cangxanh.news.models import ArticleTranslation

    paths = []
    for code in languages.codes():
        paths += [f"/{code}/", f"/{code}/search/"]
        newest = ArticleTranslation.objects.published().news().in_language(code).first()
        if newest is not None:
            paths.append(newest.get_absolute_url())
        paths += _kind_lists(code)
    problems = []
    for path in paths:
        try:
            problems += _accessibility_problems(path, _render(path).content)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            problems.append(f"{path} ({type(error).__name__})")
    if problems:
        return Result(
            FAIL,
            _("Found on %(count)d pages: %(problems)s.")
            % {"count": len(paths), "problems": ", ".join(problems[:10])},
        )
    return Result(
        OK,
        _(
            "%(count)d pages checked: language, one main heading, alt text, labels, link "
            "text and the skip link are in place."
        )
        % {"count": len(paths)},
    )


# --- Backups ----------------------------------------------------------------------


def backup_age() -> Result:
    from cangxanh.core.backup import last_backup

    found = last_backup()
    if found is None:
        return Result(FAIL, _("No backup has been written on this server (cangxanh backup)."))
    written = datetime.fromisoformat(found["created_at"].replace("Z", "+00:00"))
    age = timezone.now() - written
    shown = timezone.localtime(written.astimezone(UTC)).strftime("%Y-%m-%d %H:%M")
    if age > BACKUP_MAX_AGE:
        return Result(
            FAIL, _("The last backup is from %(when)s: older than two days.") % {"when": shown}
        )
    return Result(OK, _("The last backup is from %(when)s.") % {"when": shown})


register(
    Check(
        "footer",
        gettext_lazy("The footer names the agency, the person responsible and the contacts"),
        DECREE_42,
        footer,
    )
)
register(
    Check(
        "english-agency",
        gettext_lazy("The agency is introduced in English"),
        DECREE_42,
        english_agency,
    )
)
register(
    Check(
        "alt-texts",
        gettext_lazy("Pictures have alt text"),
        CIRCULAR_22,
        alt_texts,
    )
)
register(
    Check(
        "machine-readable",
        gettext_lazy("Sitemap and feeds answer"),
        CIRCULAR_22,
        machine_readable,
    )
)
register(
    Check(
        "metadata",
        gettext_lazy("Pages carry their metadata"),
        CIRCULAR_22,
        page_metadata,
    )
)
register(
    Check(
        "dublin-core",
        gettext_lazy("Pages carry their Dublin Core description"),
        CIRCULAR_22,
        dublin_core,
    )
)
register(
    Check(
        "accessibility",
        gettext_lazy("Pages can be read with assistive technology"),
        CIRCULAR_22,
        accessibility,
    )
)
register(
    Check(
        "backup",
        gettext_lazy("A recent backup exists"),
        SECURITY_LEVELS,
        backup_age,
    )
)


def as_json(results) -> str:
    """The results for monitoring (`?format=json` on the page)."""
    return json.dumps(
        [
            {"code": check.code, "status": result.status, "detail": result.detail}
            for check, result in results
        ],
        ensure_ascii=False,
    )


# --- Documents --------------------------------------------------------------------


def documents_files() -> Result:
    """Every published document carries its file (the text itself, not only a summary)."""
    from cangxanh.documents.checks import documents_without_files, published_documents

    url = _admin("documents_document_changelist")
    permission = "news.change_article"
    if not published_documents().exists():
        return Result(WARN, _("No legal documents are published yet."), url, permission)
    lacking = documents_without_files()
    if not lacking:
        return Result(OK, _("Every published document has its file attached."), url, permission)
    shown = ", ".join(row.number for row in lacking[:8])
    return Result(
        FAIL,
        ngettext(
            "%(count)d published document has no file attached: %(numbers)s.",
            "%(count)d published documents have no file attached: %(numbers)s.",
            len(lacking),
        )
        % {"count": len(lacking), "numbers": shown},
        url,
        permission,
    )


register(
    Check(
        "documents-files",
        gettext_lazy("Documents carry their files"),
        CIRCULAR_22,
        documents_files,
    )
)


# --- Questions from the public ------------------------------------------------------


def questions_on_time() -> Result:
    """Open questions past their 15 working days. A question late is something to act on,
    not a portal out of compliance: it is WARN (amber), never FAIL, so the page is
    "green" (nothing FAIL) while the office catches up."""
    from cangxanh.inbox.models import OPEN_STATES
    from cangxanh.questions.models import Question

    today = timezone.localdate()
    open_rows = Question.objects.filter(state__in=OPEN_STATES)
    late = open_rows.filter(due_on__lt=today).count()
    url = reverse("editorial:questions") + "?state=overdue"
    if late:
        return Result(
            WARN,
            ngettext(
                "%(count)d question is overdue.",
                "%(count)d questions are overdue.",
                late,
            )
            % {"count": late},
            url,
            "questions.view_question",
        )
    count = open_rows.count()
    return Result(
        OK,
        ngettext(
            "%(count)d open question, within its deadline.",
            "%(count)d open questions, all within their deadline.",
            count,
        )
        % {"count": count},
        reverse("editorial:questions"),
        "questions.view_question",
    )


register(
    Check(
        "questions-on-time",
        gettext_lazy("Questions answered on time"),
        f"{DECREE_42}; {ACCESS_TO_INFORMATION}",
        questions_on_time,
    )
)


# --- Consultations --------------------------------------------------------------------


def consultation_summaries() -> Result:
    """Closed consultations publish their summary of the comments at once: it is complete
    only when every comment they received has been moderated."""
    from cangxanh.consultations.models import Comment
    from cangxanh.consultations.queries import published

    now = timezone.now()
    closed = published().filter(article__consultation_facts__closes_at__lte=now)
    ids = set(closed.values_list("article_id", flat=True))
    url = reverse("editorial:consultations")
    waiting = set(
        Comment.objects.waiting()
        .filter(consultation_id__in=ids)
        .values_list("consultation_id", flat=True)
    )
    if waiting:
        return Result(
            WARN,
            ngettext(
                "%(count)d closed consultation still has comments waiting for moderation: "
                "its published summary is not complete.",
                "%(count)d closed consultations still have comments waiting for moderation: "
                "their published summaries are not complete.",
                len(waiting),
            )
            % {"count": len(waiting)},
            url,
            "news.approve_translation",  # approvers moderate (consultations.moderation)
        )
    return Result(
        OK,
        ngettext(
            "%(count)d closed consultation, its summary complete.",
            "%(count)d closed consultations, each with its summary complete.",
            len(ids),
        )
        % {"count": len(ids)},
        url,
        "news.approve_translation",
    )


register(
    Check(
        "consultation-summaries",
        gettext_lazy("Closed consultations have their summary"),
        DECREE_42,
        consultation_summaries,
    )
)
