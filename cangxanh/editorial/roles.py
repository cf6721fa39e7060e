"""The four roles of the newsroom, as Django groups with exactly these permissions.

Administrator: everything (users, settings, content). Approver (editorial board):
approves, rejects, publishes, schedules, unpublishes, archives, in every
language. Editor: writes articles in their languages and submits them. Translator:
translates into their languages and submits; cannot touch the original.
"""

from django.contrib.auth.models import Group, Permission

ADMINISTRATOR = "Administrator"
APPROVER = "Approver"
EDITOR = "Editor"
TRANSLATOR = "Translator"
REGISTRY_OFFICER = "Registry officer"

_CONTENT_VIEW = [
    "news.view_article",
    "news.view_articletranslation",
    "news.view_section",
    "news.view_person",
    "news.view_source",
    "images.view_image",
]
_WRITE = [
    "news.add_article",
    "news.change_article",
    "news.add_articletranslation",
    "news.change_articletranslation",
    "images.add_image",
    "images.change_image",
    # Alt texts and captions in the library (a public picture's wait for approval).
    "images.view_imagetext",
    "images.add_imagetext",
    "images.change_imagetext",
]

# Questions from the public: editors and approvers answer them (translators never see
# the askers' personal data); approvers also release or refuse what was set aside.
_QUESTIONS = ["questions.view_question", "questions.change_question"]

# The office's registries: officers keep the records (publishing is the approvers').
_REGISTRY_MODELS = [
    "partner",
    "partnertext",
    "delegation",
    "delegationtext",
    "member",
    "attachment",
    "agreement",
    "agreementtext",
    "organisation",
    "aidproject",
    "aidprojecttext",
]
_REGISTRY_KEEP = [
    f"registry.{verb}_{model}"
    for model in _REGISTRY_MODELS
    for verb in ("view", "add", "change", "delete")
] + ["registry.view_revision", "news.view_article", "images.view_image"]
_REGISTRY_READ = [f"registry.view_{model}" for model in _REGISTRY_MODELS] + [
    "registry.view_revision",
    "registry.publish_record",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    APPROVER: _CONTENT_VIEW
    + _WRITE
    + [
        "news.edit_original",
        "news.approve_translation",
        "news.add_person",
        "news.change_person",
        "news.add_source",
        "news.change_source",
        "editorial.view_workflowevent",
        # The visit statistics (/editorial/visits/): the editorial board's, not every writer's.
        "stats.view_visits",
    ]
    + _QUESTIONS
    + ["inbox.moderate_submission"]
    + _REGISTRY_READ,
    EDITOR: _CONTENT_VIEW
    + _WRITE
    + ["news.edit_original", "editorial.view_workflowevent"]
    + _QUESTIONS,
    # Picture texts in their languages only at the desk, never in the image library.
    TRANSLATOR: _CONTENT_VIEW
    + ["news.change_article", "news.add_articletranslation", "news.change_articletranslation"]
    + ["editorial.view_workflowevent"],
    REGISTRY_OFFICER: _REGISTRY_KEEP,
}


def ensure_roles(**kwargs) -> None:
    """Create or repair the role groups (idempotent; run after every migrate)."""
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [_permission(code) for code in codes]
        group.permissions.set([p for p in wanted if p is not None])
    admin, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    admin.permissions.set(Permission.objects.all())


def _permission(code: str) -> Permission | None:
    app_label, codename = code.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def user_languages(user) -> set[str]:
    """Languages a user may write in; approvers and superusers have them all."""
    from cangxanh.core import languages

    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser or user.has_perm("news.approve_translation"):
        return set(languages.codes())
    profile = getattr(user, "staff_profile", None)
    return set(profile.languages) if profile else set()


def can_edit(user, translation) -> bool:
    """May `user` change the text of `translation` (or create it)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("news.change_articletranslation"):
        return False
    if translation.language not in user_languages(user):
        return False
    if translation.language == translation.article.original_language:
        return user.has_perm("news.edit_original")
    return True


def can_edit_facts(user, article) -> bool:
    """May `user` change an article's facts (section, author, source, pictures)? Those
    who write its original: the facts are the same in every language."""
    from cangxanh.news.models import ArticleTranslation

    probe = ArticleTranslation(article=article, language=article.original_language)
    return can_edit(user, probe) and (user.is_superuser or user.has_perm("news.change_article"))


def can_approve(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("news.approve_translation"))
