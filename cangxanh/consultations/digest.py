"""The moderators' digest: one e-mail to each approver saying how many comments on
consultations wait for them, with the newsroom's address.

`cangxanh notify-moderators` sends it; cron runs it every few minutes
(docs/operations.md). It is throttled: nothing is sent unless a comment arrived
since the last digest, and never more often than every `THROTTLE` — a flood of
comments makes one e-mail, not hundreds. When it was last sent, and the newest
comment it counted, are kept in `VAR_DIR/moderators-digest.json`.
"""

import json
import logging
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cangxanh.core import languages
from cangxanh.core.site import site_url
from cangxanh.inbox.models import State

from .models import Comment

logger = logging.getLogger(__name__)

THROTTLE = timedelta(hours=1)
APPROVE = "approve_translation"


def _state_file() -> Path:
    return Path(settings.VAR_DIR) / "moderators-digest.json"


def _read_state() -> dict:
    try:
        return json.loads(_state_file().read_text())
    except (OSError, ValueError):
        return {}


def _write_state(state: dict) -> None:
    path = _state_file()
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state))
    temporary.replace(path)


def moderators():
    """Active approvers (and administrators) with an e-mail address who can open the
    moderators' page (staff: the newsroom lets no one else in)."""
    User = get_user_model()
    holds = Q(is_superuser=True) | Q(groups__permissions__codename=APPROVE)
    holds |= Q(user_permissions__codename=APPROVE)
    return (
        User.objects.filter(holds, is_active=True, is_staff=True)
        .exclude(email="")
        .select_related("staff_profile")
        .distinct()
        .order_by("pk")
    )


def _waiting():
    """(consultation title, comments received, comments set aside) for each
    consultation with comments waiting, and the newest such comment's id."""
    rows = (
        Comment.objects.waiting()
        .values("consultation_id")
        .annotate(
            received=Count("pk", filter=Q(state=State.RECEIVED)),
            set_aside=Count("pk", filter=Q(state=State.QUARANTINED)),
            newest=Max("pk"),
        )
        .order_by("consultation_id")
    )
    return list(rows)


def _language(user) -> str:
    profile = getattr(user, "staff_profile", None)
    wanted = [code for code in (getattr(profile, "languages", None) or []) if code]
    codes = languages.codes()
    return next((code for code in wanted if code in codes), settings.LANGUAGE_CODE)


def _titles(ids: list[int]) -> dict[int, str]:
    from cangxanh.news.models import Article

    found = Article.objects.filter(pk__in=ids).prefetch_related("translations")
    return {article.pk: str(article) for article in found}


def send_digest(*, now: datetime | None = None, force: bool = False) -> int:
    """Send the digest if it is due; returns how many e-mails went out."""
    now = now or timezone.now()
    state = _read_state()
    rows = _waiting()
    newest = max((row["newest"] for row in rows), default=0)
    if not rows or newest <= state.get("newest", 0):
        return 0  # nothing arrived since the last digest
    last = state.get("sent_at")
    if not force and last and now - datetime.fromisoformat(last) < THROTTLE:
        return 0
    titles = _titles([row["consultation_id"] for row in rows])
    link = site_url() + reverse("editorial:consultations")
    sent = 0
    for user in moderators():
        with translation.override(_language(user)):
            total = sum(row["received"] + row["set_aside"] for row in rows)
            subject = ngettext(
                "%(count)d comment on consultations waits for moderation",
                "%(count)d comments on consultations wait for moderation",
                total,
            ) % {"count": total}
            lines = [
                _("Comments wait for a moderator before readers can see them:"),
                "",
            ]
            for row in rows:
                lines.append(
                    _("%(title)s: %(received)d waiting, %(set_aside)d set aside as suspect")
                    % {
                        "title": titles.get(row["consultation_id"], row["consultation_id"]),
                        "received": row["received"],
                        "set_aside": row["set_aside"],
                    }
                )
            lines += ["", _("Moderate them here: %(link)s") % {"link": link}]
        try:
            send_mail(subject, "\n".join(lines), None, [user.email])
        except OSError:
            logger.exception("The moderators' digest could not be sent to user %s", user.pk)
            continue
        sent += 1
    if sent:
        _write_state({"sent_at": now.isoformat(), "newest": newest})
    return sent
