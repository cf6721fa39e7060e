"""Consultations built through the real models: a draft in five languages whose
paragraphs share their anchors (as the desk and XLIFF make translations), and
comments received, published or refused through the moderation service."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cangxanh.consultations import anchors, moderation
from cangxanh.consultations.models import KIND, Comment, ConsultationFacts
from cangxanh.editorial import roles
from cangxanh.editorial.models import StaffProfile
from cangxanh.editorial.revisions import mark_approved
from cangxanh.inbox.models import State
from cangxanh.news.models import Article, ArticleTranslation, Status

from ..conftest import LANGS

TITLES = {
    "vi": ("Dự thảo Quy chế đón tiếp đoàn nước ngoài", "Lấy ý kiến về quy chế đón tiếp."),
    "en": ("Draft rules on receiving foreign delegations", "Comments on the draft rules."),
    "ko": ("외국 대표단 접견 규정 초안", "규정 초안에 대한 의견 수렴."),
    "ja": ("外国代表団の受け入れ規程案", "規程案への意見募集。"),
    "zh-hans": ("接待外国代表团规定草案", "征求对规定草案的意见。"),
}
# The draft, paragraph by paragraph, in each language (a heading, then paragraphs).
PARAGRAPHS = {
    "vi": [
        "Điều 1. Phạm vi điều chỉnh",
        "Quy chế này quy định việc đón tiếp các đoàn khách nước ngoài đến làm việc với thành phố.",
        "Sở Ngoại vụ chủ trì, phối hợp với các sở, ngành chuẩn bị chương trình làm việc.",
        "Kinh phí đón tiếp được bố trí trong dự toán ngân sách hằng năm của thành phố.",
    ],
    "en": [
        "Article 1. Scope",
        "These rules govern the reception of foreign delegations working with the city.",
        "The Department of Foreign Affairs leads the preparation of the programme.",
        "The costs of receptions are met from the city's annual budget.",
    ],
    "ko": [
        "제1조 범위",
        "이 규정은 외국 대표단의 접견을 정한다.",
        "외무국이 일정 준비를 주관한다.",
        "접견 비용은 시 예산으로 한다.",
    ],
    "ja": [
        "第1条 範囲",
        "この規程は外国代表団の受け入れを定める。",
        "外務局が日程の準備を主管する。",
        "費用は市の予算で賄う。",
    ],
    "zh-hans": [
        "第一条 范围",
        "本规定规范外国代表团的接待。",
        "外事局牵头准备日程。",
        "接待费用列入市年度预算。",
    ],
}


def draft_html(lang: str, ids: list[str] | None = None) -> str:
    words = PARAGRAPHS[lang]
    html = f"<h2>{words[0]}</h2>" + "".join(f"<p>{text}</p>" for text in words[1:])
    if ids is None:
        return anchors.carry(None, html)
    # A translation on the original's layout: the same anchors, block for block.
    found = iter(ids)
    return re.sub(r"<(h2|p)>", lambda m: f'<{m.group(1)} id="{next(found)}">', html)


def keys(html: str) -> list[str]:
    return [p.key for p in anchors.paragraphs(html)]


@pytest.fixture
def make_consultation(db):
    """A published consultation (facts as `apply` writes them) in `langs`, open from
    `opens` to `closes` (offsets from now)."""

    def make(
        *,
        opens=timedelta(days=-3),
        closes=timedelta(days=10),
        langs=LANGS,
        status=Status.PUBLISHED,
    ) -> Article:
        now = timezone.now()
        article = Article.objects.create(kind=KIND, original_language="vi")
        ConsultationFacts.objects.create(
            article=article, opens_at=now + opens, closes_at=now + closes
        )
        original_body = draft_html("vi")
        ids = keys(original_body)
        for lang in langs:
            title, lead = TITLES[lang]
            row = ArticleTranslation.objects.create(
                article=article,
                language=lang,
                title=title,
                lead=lead,
                body=original_body if lang == "vi" else draft_html(lang, ids),
                status=status,
                published_at=now - timedelta(days=4) if status == Status.PUBLISHED else None,
            )
            if status == Status.PUBLISHED:
                mark_approved(row)
        return article

    return make


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.test", "pw-123456")


@pytest.fixture
def make_user(django_user_model):
    def make(username, role, languages=(), email=""):
        user = django_user_model.objects.create_user(
            username, email=email, password="pw-123456", is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, languages=list(languages))
        return django_user_model.objects.get(pk=user.pk)

    return make


@pytest.fixture
def approver(make_user):
    return make_user("approver", roles.APPROVER, email="approver@example.test")


@pytest.fixture
def make_comment(db):
    """A comment received on `article` in `lang` (through the service), then published
    (`state="published"`) or refused (`refused=<reason>`) by `by`."""

    def make(article, text, *, lang="vi", paragraph="", state=State.RECEIVED, by=None, refused=""):
        row = article.translations.get(language=lang)
        row.article = article
        comment = moderation.comment_receive(
            consultation=row,
            name="Nguyễn Văn An",
            email="an@example.test",
            text=text,
            paragraph=paragraph,
            revision=row.revisions.filter(approved=True).order_by("-number").first().number,
        )
        if state == State.PUBLISHED:
            moderation.comment_publish(comment=comment, by=by)
        elif refused:
            moderation.comment_refuse(comment=comment, by=by, reason=refused)
        return Comment.objects.get(pk=comment.pk)

    return make
