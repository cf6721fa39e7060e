"""Static files are served compressed, with hashed names and a long cache life."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_static_files_are_hashed_compressed_and_cached(settings, tmp_path, site_identity):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = list((tmp_path / "static" / "cangxanh").glob("site.*.css"))
    assert hashed, "no hashed stylesheet"
    assert (hashed[0].parent / (hashed[0].name + ".gz")).exists()

    client = Client()  # a new handler, so whitenoise sees the files just collected
    html = client.get("/vi/").content.decode()
    stylesheet = re.search(r'href="(/static/cangxanh/site\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "the page does not link the hashed stylesheet"

    response = client.get(stylesheet.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    response.close()
