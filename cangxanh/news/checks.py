"""System checks of the news content: no section may take an address the site uses."""

from django.core.checks import Error, register
from django.db import DatabaseError


@register("database")
def check_section_slugs(app_configs, databases=None, **kwargs):
    """A section named like a page of the site (`search`, `documents`…) hides one of them.

    Run before deploying a version that reserves new words (`news.kinds.reserve`),
    with `manage.py check --database default`.
    """
    if not databases:
        return []
    from .kinds import reserved
    from .models import SectionTranslation

    try:
        taken = list(
            SectionTranslation.objects.filter(slug__in=sorted(reserved())).values_list(
                "language", "slug"
            )
        )
    except DatabaseError:
        return []  # not migrated yet
    return [
        Error(
            f"The section address /{lang}/{slug}/ is also a page of the site.",
            hint="Give the section another slug in the admin before deploying.",
            id="cangxanh.news.E001",
        )
        for lang, slug in taken
    ]
