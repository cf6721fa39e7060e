"""The registries in the open data API: public copies only, valid against the schema."""

import json

import pytest

from tests.api.conftest import walk

pytestmark = pytest.mark.django_db


def test_every_registry_list_answers_by_its_schema_and_holds_no_personal_data(
    client, figures, validate
):
    for key in ("partners", "delegations", "agreements", "aid-projects"):
        items = walk(client, f"/api/v1/{key}/?lang=en", validate, limit=1)
        text = json.dumps(items, ensure_ascii=False)
        for secret in ("Secret Member", "P0000001", "Phòng Hợp tác"):
            assert secret not in text
        if key == "partners":
            assert {item["slug"] for item in items} == {"incheon", "busan"}
        if key == "delegations":
            assert len(items) == 3  # the internal one is not there
    one = validate(client.get("/api/v1/partners/incheon/?lang=ko"))
    assert one["data"]["name"] == "인천" and one["data"]["translated"] is True
    assert client.get("/api/v1/partners/nowhere/").status_code == 404


def test_the_statistics_tables_match_the_pages_files(client, figures, validate):
    data = validate(client.get("/api/v1/statistics/?lang=en"))["data"]
    by_year = next(chart for chart in data if chart["id"] == "delegations-by-year")
    assert [row["values"] for row in by_year["rows"]] == [[1.0, 1.0], [1.0, 0.0]]
    csv_path = by_year["csv"].split("://", 1)[1].split("/", 1)[1]
    csv_text = client.get("/" + csv_path).content.decode("utf-8-sig")
    assert csv_text.splitlines()[1:] == ["2024,1,1", "2025,1,0"]


def test_the_catalogue_and_the_docs_list_the_registries(client):
    catalogue = json.loads(client.get("/api/v1/catalog.jsonld").content)
    text = json.dumps(catalogue)
    for key in ("partners", "delegations", "agreements", "aid-projects", "statistics"):
        assert f"/api/v1/{key}/" in text
    docs = client.get("/en/api/").content.decode()
    assert "/api/v1/partners/" in docs and "/api/v1/statistics/" in docs
