from django.conf import settings
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def media(request, path: str):
    """Uploaded files, for the embedded setup (SERVE_MEDIA=1); a web server or CDN does this in production."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    return response
