from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from cangxanh.api.datasets import NAMESPACE as API_NAMESPACE
from cangxanh.core import views as core_views
from cangxanh.core.headers import security_txt
from cangxanh.core.lazy import include as lazy_include
from cangxanh.documents import views as documents_views
from cangxanh.editorial.urls import lazy
from cangxanh.images import views as images_views
from cangxanh.news import sitemaps
from cangxanh.news import views as news_views

urlpatterns = [
    path("", news_views.language_root, name="root"),
    # Before the admin's own: staff land on their work (editorial.views.login).
    path("admin/login/", lazy("views.login"), name="newsroom-login"),
    # The newsroom: its modules load on the first request or reverse() (editorial.site).
    lazy_include("admin/", "cangxanh.editorial.admin_urls", "admin"),
    # Staff only; beside the newsroom's pages, whose robots.txt rule it shares.
    path(
        "editorial/images/<int:image_id>/original/",
        images_views.original,
        name="image-original",
    ),
    # Any file of a document, approved or waiting, for the staff who review it.
    path(
        "editorial/documents/files/<id:file_id>/",
        documents_views.staff_file,
        name="document-file-staff",
    ),
    path("editorial/", include("cangxanh.editorial.urls")),
    path("preview/<int:translation_id>/", lazy("views.preview"), name="news-preview"),
    # A published document's attached files, the same in every language.
    path("documents/files/<id:file_id>/<str:name>", documents_views.file, name="document-file"),
    path("robots.txt", core_views.robots_txt, name="robots"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path("sitemap-<str:section>.xml", sitemaps.sitemap, name="sitemap"),
    # The open data API: read-only JSON, the same in every language prefix (cangxanh.api).
    # Loaded on the first request under it or the first reverse() of one of its names:
    # a process that serves only pages never imports django-ninja.
    lazy_include("api/v1/", "cangxanh.api.urls", API_NAMESPACE),
]
if settings.SERVE_MEDIA:
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{prefix}(?P<path>.*)$", core_views.media))

urlpatterns += i18n_patterns(
    # Before the news URLs, whose first segment is a section slug.
    path("search/", include("cangxanh.search.urls")),
    # The leaders' calendar (calendar/, calendar.ics), before the section slugs too.
    path("", include("cangxanh.agenda.urls")),
    path("", include("cangxanh.agency.urls")),  # about/, contact/, privacy/
    path("", include("cangxanh.questions.urls")),  # questions/ (ask, track, answers)
    path("", include("cangxanh.documents.urls")),  # documents/
    path("", include("cangxanh.consultations.urls")),  # consultations/
    path("", include("cangxanh.api.page_urls")),  # api/: the open data API's documentation
    path("", include("cangxanh.registry.urls")),  # partners/, delegations/, agreements/
    path("", include("cangxanh.news.urls")),
    prefix_default_language=True,
)

handler403 = "cangxanh.editorial.errors.permission_denied"
handler404 = "cangxanh.editorial.errors.page_not_found"
handler500 = "cangxanh.editorial.errors.server_error"
