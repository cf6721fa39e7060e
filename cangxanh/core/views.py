from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def media(request, path: str):
    """Uploaded files, for the embedded setup (SERVE_MEDIA=1); a web server or CDN does this in production."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def robots_txt(request):
    """`/robots.txt`: crawl the public pages, not the back office; where the sitemap is."""
    sitemap = reverse("sitemap-index")
    if settings.SITE_URL:
        sitemap_url = settings.SITE_URL + sitemap
    else:
        sitemap_url = request.build_absolute_uri(sitemap)
    response = HttpResponse(
        render_to_string("robots.txt", {"sitemap_url": sitemap_url}),
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response
