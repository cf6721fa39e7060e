"""Documents' files in a private S3-compatible bucket: stored there by the real upload
path, never readable at the bucket by anyone, served by the app with the same headers
as from disk (tests/s3server.py runs the S3 server, moto's, over real HTTP)."""

import pytest
from django.test import Client
from django.urls import reverse

from cangxanh.documents.models import DocumentFile

from .. import s3server
from .conftest import stored_file
from .test_files_access import assert_served_in_a_sandbox, fetch, url_of


@pytest.fixture
def buckets(settings, s3):
    # Originals and documents' files in a bucket of their own, apart from the media's.
    with s3server.buckets_in_use(settings, s3, private_bucket=True) as found:
        yield found


def test_a_documents_file_lives_in_the_private_bucket_and_reaches_readers_through_the_app(
    buckets, s3, make_document, pdf_bytes, staff
):
    reader = Client()
    mark = s3.mark()
    document = make_document(pdf=pdf_bytes)
    row = DocumentFile.objects.get(document=document)
    key = f"documents/{row.file.name}"
    assert s3.writes(mark) == {f"/{buckets.private}/{key}": 1}
    stored = s3.client().get_object(Bucket=buckets.private, Key=key)
    assert stored["Body"].read() == pdf_bytes
    assert "Điều 1." in row.text  # its text was read back from the bucket
    grants = s3.client().get_object_acl(Bucket=buckets.private, Key=key)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]
    # Nobody reads it at the bucket, listed and published or not.
    status, _headers, body = s3server.anonymous_get(f"{s3.endpoint}/{buckets.private}/{key}")
    assert status == 403 and pdf_bytes not in body
    assert not s3.client().list_objects_v2(Bucket=buckets.media).get("Contents")

    # Through the app: the whole file, then one range, with the safe headers.
    assert_served_in_a_sandbox(fetch(reader, url_of(row)), row, pdf_bytes)
    part = fetch(reader, url_of(row), HTTP_RANGE="bytes=0-9")
    assert part.status_code == 206 and part.content_read == pdf_bytes[:10]
    assert part["Content-Security-Policy"] == "sandbox"

    # A file still waiting for approval: in the bucket, private, 404 to readers; its
    # reviewers download it through the app.
    waiting = stored_file(document, pdf_bytes + b"\n% v2", "moi.pdf", listed=False)
    waiting_key = f"documents/{waiting.file.name}"
    assert s3.client().head_object(Bucket=buckets.private, Key=waiting_key)
    status, _headers, _body = s3server.anonymous_get(
        f"{s3.endpoint}/{buckets.private}/{waiting_key}"
    )
    assert status == 403
    assert fetch(reader, url_of(waiting)).status_code == 404
    download = staff.get(reverse("document-file-staff", args=[waiting.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes + b"\n% v2"
    assert download["Cache-Control"].startswith("private")
