"""Every save keeps a revision; two can be compared; one can be restored."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cangxanh.editorial import revisions, roles
from cangxanh.editorial.models import Revision, StaffProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    StaffProfile.objects.create(user=user, languages=["vi"])
    return django_user_model.objects.get(pk=user.pk)


def admin_post(translation, **changes):
    data = {
        "section": translation.article.section_id,
        "original_language": "vi",
        "author": translation.article.author_id or "",
        "source": "",
        "source_url": "",
        "translations-TOTAL_FORMS": "1",
        "translations-INITIAL_FORMS": "1",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-id": str(translation.pk),
        "translations-0-article": str(translation.article_id),
        "translations-0-language": "vi",
        "translations-0-title": translation.title,
        "translations-0-slug": translation.slug,
        "translations-0-lead": translation.lead,
        "translations-0-body": translation.body,
    }
    data |= {f"translations-0-{field}": value for field, value in changes.items()}
    return data


def test_each_save_in_the_admin_keeps_a_revision_and_restore_makes_a_new_one(
    client, editor, make_article
):
    vi = make_article(["vi"], status="draft").translations.get()
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[vi.article_id])
    old_body = "<p>Cảng Lạch Huyện đón 12 tàu.</p><p>Đoạn hai giữ nguyên.</p>"
    new_body = "<p>Cảng Lạch Huyện đón 15 tàu lớn.</p><p>Đoạn hai giữ nguyên.</p>"
    assert client.post(url, admin_post(vi, body=old_body)).status_code == 302
    assert client.post(url, admin_post(vi, body=new_body, title="Tít mới")).status_code == 302
    # Saving without a change keeps no new revision.
    vi.refresh_from_db()
    assert client.post(url, admin_post(vi)).status_code == 302
    assert list(vi.revisions.values_list("number", flat=True)) == [2, 1]
    assert vi.revisions.get(number=2).author == editor

    page_url = reverse("editorial:revisions", kwargs={"translation_id": vi.pk})
    page = client.get(page_url, {"old": 1, "new": 2}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "đón <del>12 tàu.</del> <ins>15 tàu lớn.</ins>" in page
    assert "<p>Đoạn hai giữ nguyên.</p>" in page
    assert "<ins>Tít mới</ins>" in page

    response = client.post(page_url, {"restore": 1})
    assert response.status_code == 302
    vi.refresh_from_db()
    assert vi.body == old_body
    assert list(vi.revisions.values_list("number", flat=True)) == [3, 2, 1]
    assert vi.revisions.get(number=3).note == "#1"


def test_the_diff_escapes_what_it_shows(make_article):
    vi = make_article(["vi"]).translations.get()
    first = revisions.record(vi)
    vi.body = "<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>"
    vi.save()
    second = revisions.record(vi)
    rendered = "".join(
        str(block) for _, blocks, _ in revisions.compare(first, second) for block in blocks
    )
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_revisions_are_not_for_everyone(client, make_article, django_user_model):
    vi = make_article(["vi"]).translations.get()
    revisions.record(vi)
    translator = django_user_model.objects.create_user("t", password="pw", is_staff=True)
    translator.groups.add(Group.objects.get(name=roles.TRANSLATOR))
    StaffProfile.objects.create(user=translator, languages=["ko"])
    client.force_login(translator)
    url = reverse("editorial:revisions", kwargs={"translation_id": vi.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"restore": 1}).status_code == 403
    assert Revision.objects.count() == 1
