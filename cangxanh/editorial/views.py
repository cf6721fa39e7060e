"""The newsroom's own pages beside the admin: the review queue and each translation's steps."""

from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from cangxanh.core import languages
from cangxanh.core.templatetags.portal import local_datetime
from cangxanh.images.models import Image, ImageText
from cangxanh.news import kinds, queries
from cangxanh.news import views as news_views
from cangxanh.news.models import (
    Article,
    ArticleImage,
    ArticleTranslation,
    Person,
    Source,
    Status,
)

from . import editing, facts, picture_versions, revisions, two_factor, workflow
from .forms import StepForm
from .models import Action, PendingImage, WorkflowEvent
from .roles import can_approve, can_edit, user_languages


def _context(request, **extra):
    return admin_site.each_context(request) | extra


def _translation_for(request, translation_id: int) -> ArticleTranslation:
    """The translation, if the user may edit it or approve: 404 or 403 otherwise."""
    translation = get_object_or_404(
        ArticleTranslation.objects.select_related("article"), pk=translation_id
    )
    if not (can_edit(request.user, translation) or can_approve(request.user)):
        raise PermissionDenied
    return translation


def login(request):
    """The admin's login, landing on the newsroom's work instead of the admin's index,
    by way of the second step when a code is due (two_factor)."""
    response = admin_site.login(request)
    if request.method == "POST" and response.status_code == 302 and request.user.is_authenticated:
        target = response["Location"]
        if target in ("", reverse("admin:index")):
            target = reverse("editorial:queue")
            if not request.user.has_perm(
                "news.change_articletranslation"
            ) and request.user.has_perm("registry.view_partner"):
                target = reverse("editorial:registries")  # a registry officer's work
        if two_factor.needs_second_step(request):
            return redirect(two_factor.step_url(request, target))
        return redirect(target)
    return response


@staff_member_required
def queue(request):
    langs = user_languages(request.user)
    last_event = (
        WorkflowEvent.objects.filter(translation=OuterRef("pk"))
        .exclude(action=Action.MARK_CURRENT)
        .order_by("-created_at", "-id")
    )
    rows = (
        ArticleTranslation.objects.filter(language__in=langs)
        .select_related("article", "pending_version")
        .annotate(
            last_action=Subquery(last_event.values("action")[:1]),
            last_actor=Subquery(last_event.values("actor__username")[:1]),
            last_at=Subquery(last_event.values("created_at")[:1]),
        )
        .order_by("last_at", "id")
    )
    # A published translation's new version waits like a translation of its own.
    waiting = Q(status=Status.REVIEW) | Q(pending_version__state=Status.REVIEW)
    in_draft = Q(status=Status.DRAFT) | Q(pending_version__state=Status.DRAFT)
    in_review = rows.filter(waiting)
    returned = [
        row
        for row in rows.filter(in_draft, last_action=Action.REJECT)
        if can_edit(request.user, row)
    ]
    scheduled = rows.filter(status=Status.PUBLISHED, published_at__gt=timezone.now()).order_by(
        "published_at"
    )
    drafts = rows.filter(in_draft).filter(
        Q(last_action__isnull=True) | ~Q(last_action=Action.REJECT)
    )
    sections = {
        "review": {
            "title": _("Waiting for approval"),
            "rows": in_review,
            "waiting": _("Approver"),
            "empty": _("Nothing is waiting for approval."),
        },
        "returned": {
            "title": _("Returned with comments"),
            "rows": returned,
            "waiting": _("Author"),
            "empty": _("Nothing has been returned."),
        },
        "scheduled": {
            "title": _("Scheduled"),
            "rows": scheduled,
            "waiting": _("Publication time"),
            "empty": _("Nothing is scheduled."),
        },
        "drafts": {
            "title": _("Drafts"),
            "rows": drafts[:50],
            "waiting": _("Author"),
            "empty": _("No drafts."),
        },
    }
    # Each role lands on its own work: approvers on what waits for them, editors on
    # what came back and their drafts, translators on the jobs in their languages.
    pictures = None
    if can_approve(request.user):
        order = ["review", "scheduled", "returned", "drafts"]
        jobs = None
        pictures = PendingImage.objects.select_related("image", "author").order_by("updated_at")
    else:
        order = ["returned", "drafts", "review", "scheduled"]
        # Editors write originals; those who only translate get their jobs first.
        editor = request.user.has_perm("news.edit_original")
        jobs = None if editor else translation_jobs(request.user)
    return render(
        request,
        "editorial/queue.html",
        _context(
            request,
            title=_("Review queue"),
            sections=[sections[key] | {"key": key} for key in order],
            jobs=jobs,
            pictures=pictures,
        ),
    )


def translation_jobs(user, limit: int = 30) -> list[dict]:
    """Translations to make or bring up to date in the user's languages, for articles
    whose original is published (the approved text is what is translated)."""
    langs = sorted(user_languages(user))
    published_originals = ArticleTranslation.objects.filter(
        language=F("article__original_language"), status=Status.PUBLISHED
    )
    jobs = []
    for lang in langs:
        missing = (
            Article.objects.filter(translations__in=published_originals)
            .exclude(original_language=lang)
            .exclude(translations__language=lang)
            .order_by("-created_at", "-id")[:limit]
        )
        jobs += [{"article_id": a.pk, "language": lang, "outdated": False} for a in missing]
    existing = list(
        editing.with_original_latest(
            ArticleTranslation.objects.filter(language__in=langs).exclude(
                language=F("article__original_language")
            )
        )
        .select_related("translated_from")
        .order_by("-updated_at")[:200]
    )
    stale = editing.outdated_ids(existing)
    jobs += [
        {"article_id": t.article_id, "language": t.language, "outdated": True}
        for t in existing
        if t.pk in stale
    ]
    titles = dict(
        published_originals.filter(article_id__in={j["article_id"] for j in jobs}).values_list(
            "article_id", "title"
        )
    )
    for job in jobs:
        job["title"] = titles.get(job["article_id"], f"#{job['article_id']}")
        job["language_name"] = languages.get(job["language"]).native_name
        job["url"] = reverse(
            "editorial:desk", kwargs={"article_id": job["article_id"], "language": job["language"]}
        )
    return jobs


@staff_member_required
def translation_steps(request, translation_id: int):
    translation = _translation_for(request, translation_id)
    form = StepForm(request.POST or None)
    status = 200
    pending = editing.pending_of(translation)
    is_original = translation.language == translation.article.original_language
    fresh = None if is_original else editing.freshness(translation)
    if request.method == "POST":
        if form.is_valid():
            try:
                event = workflow.perform(
                    translation,
                    form.cleaned_data["action"],
                    request.user,
                    comment=form.cleaned_data["comment"],
                    publish_at=form.cleaned_data["publish_at"],
                )
            except workflow.WorkflowError as error:
                form.add_error(None, str(error))
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You are not allowed to do this."))
                status = 403
            else:
                messages.success(request, _done_message(event, translation, is_original))
                return redirect("editorial:translation", translation_id=translation.pk)
        if status == 200:
            status = 400
    return render(
        request,
        "editorial/translation.html",
        _context(
            request,
            title=translation.title,
            translation=translation,
            form=form,
            # Publishing first: Enter in the publication time field presses the first button.
            actions=sorted(
                (
                    (action, Action(action).label)
                    for action in workflow.available_actions(request.user, translation)
                ),
                key=lambda pair: pair[0] != Action.PUBLISH,
            ),
            can_schedule=workflow.allowed(request.user, translation, Action.PUBLISH),
            rejection=workflow.latest_rejection(translation),
            events=translation.workflow_events.select_related("actor"),
            pending=pending,
            pending_changes=revisions.compare(translation, pending) if pending else None,
            original_waits=not is_original and workflow.original_waits(translation),
            held_texts=list(translation.image_text_changes.select_related("image")),
            facts_changes=(
                facts.changes(
                    facts.live(translation.article), pending.facts, translation.article.kind
                )
                if pending is not None and pending.facts is not None
                else None
            ),
            fresh=fresh,
            desk_url=(
                reverse(
                    "editorial:desk",
                    kwargs={"article_id": translation.article_id, "language": translation.language},
                )
                if fresh is not None
                else None
            ),
        ),
        status=status,
    )


def _done_message(event, translation, is_original: bool) -> str:
    """What a step did, in words that fit: the original is never called a translation,
    and a publication still to come is called scheduled."""
    if event.new_version and event.action not in (Action.PUBLISH, Action.DISCARD):
        return _("Done: the new version is now “%(status)s”.") % {
            "status": Status(event.to_status).label
        }
    if translation.is_scheduled:
        when = local_datetime(translation.published_at)
        if is_original:
            return _("Done: the original is scheduled for %(when)s.") % {"when": when}
        return _("Done: the translation is scheduled for %(when)s.") % {"when": when}
    status = translation.get_status_display()
    if is_original:
        return _("Done: the original is now “%(status)s”.") % {"status": status}
    return _("Done: the translation is now “%(status)s”.") % {"status": status}


@staff_member_required
@require_POST
def picture(request, image_id: int):
    """Publish or discard a picture's new version (the buttons of its admin page)."""
    image = get_object_or_404(Image, pk=image_id)
    action = request.POST.get("action")
    back = reverse("admin:images_image_change", args=[image.pk])
    try:
        if action == "publish":
            picture_versions.image_publish_version(image=image, user=request.user)
            messages.success(request, _("Done: readers now see the new version of the picture."))
        elif action == "discard":
            picture_versions.image_discard_version(image=image, user=request.user)
            messages.success(request, _("The new version of the picture was discarded."))
        else:
            raise Http404
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You are not allowed to do this."))
    return redirect(back)


@staff_member_required
def translation_revisions(request, translation_id: int):
    translation = _translation_for(request, translation_id)
    if request.method == "POST":
        if not can_edit(request.user, translation):
            raise PermissionDenied
        revision = get_object_or_404(translation.revisions, number=request.POST.get("restore"))
        try:
            with transaction.atomic():
                new = editing.translation_restore(revision=revision, user=request.user)
        except facts.FactsError as error:
            messages.error(request, str(error))
            return redirect("editorial:revisions", translation_id=translation.pk)
        messages.success(
            request,
            _("Revision #%(old)s restored as revision #%(new)s.")
            % {"old": revision.number, "new": new.number},
        )
        return redirect("editorial:revisions", translation_id=translation.pk)

    history = list(translation.revisions.select_related("author"))
    comparison = None
    old_number, new_number = request.GET.get("old"), request.GET.get("new")
    if old_number and new_number:
        by_number = {str(r.number): r for r in history}
        old, new = by_number.get(old_number), by_number.get(new_number)
        if old is None or new is None:
            messages.error(request, _("Choose two revisions of this translation to compare."))
        else:
            comparison = {"old": old, "new": new, "fields": revisions.compare(old, new)}
    return render(
        request,
        "editorial/revisions.html",
        _context(
            request,
            title=translation.title,
            translation=translation,
            history=history,
            comparison=comparison,
            may_restore=can_edit(request.user, translation),
        ),
    )


@staff_member_required
def preview(request, translation_id: int):
    """A translation, draft, scheduled or with a new version waiting, exactly as readers
    will see it once published: for those who may work on it, and for approvers."""
    translation = _translation_for(request, translation_id)
    article_obj = queries.article_for_page(translation.article_id, translation.language)
    current = next(t for t in article_obj.translations.all() if t.language == translation.language)
    current.article = article_obj
    pending = editing.pending_of(translation)
    if pending is not None:
        current.title, current.lead, current.body = pending.title, pending.lead, pending.body
    waiting = facts.pending(article_obj)
    if waiting is not None:
        _show_facts(article_obj, waiting, translation.language)
    public = {t.language: t for t in article_obj.translations.all() if t.is_public}
    kind = kinds.get(article_obj.kind)
    with override(current.language):
        request.LANGUAGE_CODE = current.language
        if kind is not None and kind.render is not None:
            # Another kind's own page (news.kinds), with its waiting facts.
            response = kind.render(
                request,
                article_obj,
                current,
                public,
                canonical=current.get_absolute_url(),
                preview=True,
                extra=waiting.get("extra") if waiting is not None else None,
            )
        else:
            response = news_views.render_article(
                request,
                article_obj,
                current,
                public,
                views=current.view_count,
                canonical=current.get_absolute_url(),
                preview=True,
            )
    response["Cache-Control"] = "private, no-store"
    return response


def _show_facts(article, waiting: dict, lang: str) -> None:
    """Put facts waiting for approval on the article in memory, as the page reads them."""
    section = queries.section_index().by_id.get(waiting["section"])
    if section is not None:
        article.section = section
    article.author = (
        Person.objects.prefetch_related("positions").filter(pk=waiting["author"]).first()
    )
    article.author_position = None  # read from the person, in the page's language
    article.source = Source.objects.filter(pk=waiting["source"]).first()
    article.source_url = waiting["source_url"]
    found = Image.objects.in_bulk(waiting["images"])
    texts = {t.image_id: t for t in ImageText.objects.filter(image__in=found, language=lang)}
    links = []
    for position, image_id in enumerate(waiting["images"]):
        if image_id in found:
            image = found[image_id]
            image.page_texts = {lang: texts.get(image_id)}
            links.append(ArticleImage(article=article, image=image, position=position))
    article._prefetched_objects_cache["article_images"] = links


@staff_member_required
def compliance(request):
    """`/editorial/compliance/`: the portal against the legal checklist, live, for
    approvers and administrators (`?format=json` for monitoring)."""
    from django.http import HttpResponse

    from . import compliance as checklist

    if not (can_approve(request.user) or request.user.is_superuser):
        raise PermissionDenied(_("Only approvers and administrators see the compliance check."))
    results = checklist.run_all()
    if request.GET.get("format") == "json":
        response = HttpResponse(checklist.as_json(results), content_type="application/json")
    else:
        counts = {
            status: sum(1 for _check, result in results if result.status == status)
            for status in (checklist.OK, checklist.WARN, checklist.FAIL)
        }
        # A "put it right" link only where it opens for this user (the footer is the
        # administrators'); others are told who can.
        rows = [(check, result, result.fixable_by(request.user)) for check, result in results]
        response = render(
            request,
            "editorial/compliance.html",
            {"results": rows, "counts": counts, "title": _("Compliance check")},
        )
    response["Cache-Control"] = "private, no-store"
    return response
