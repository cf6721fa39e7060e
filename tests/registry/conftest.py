"""Fixtures for the registries: one user per role and a partner with texts."""

import datetime
from decimal import Decimal

import pytest

from cangxanh.editorial import roles
from cangxanh.registry import history
from cangxanh.registry.models import (
    AidProject,
    AidProjectText,
    Delegation,
    DelegationText,
    Member,
    Organisation,
    Partner,
    PartnerText,
)
from tests.api.conftest import _roomy_limit, openapi, validate  # noqa: F401  (fixtures)

from ..editorial.conftest import make_user  # noqa: F401  (the fixture)


@pytest.fixture
def people(make_user):  # noqa: F811
    return {
        "officer": make_user("officer", roles.REGISTRY_OFFICER),
        "approver": make_user("approver", roles.APPROVER),
        "editor": make_user("editor", roles.EDITOR, ["vi"]),
        "translator": make_user("translator", roles.TRANSLATOR, ["ko"]),
    }


@pytest.fixture
def make_partner(db):
    def make(slug="incheon", *, public=True, names=None, approver=None):
        partner = Partner.objects.create(
            slug=slug,
            country="KR",
            native_name="인천광역시",
            relation="friendship",
            established_on=datetime.date(1997, 11, 20),
            latitude=Decimal("37.45600"),
            longitude=Decimal("126.70520"),
            population=3000000,
            public=public,
        )
        for lang, name in (names or {"vi": "Incheon", "en": "Incheon", "ko": "인천"}).items():
            PartnerText.objects.create(
                partner=partner, language=lang, name=name, summary=f"{name} summary"
            )
        history.record(partner, "add")
        if approver is not None:
            history.publish(partner, approver)
            partner.refresh_from_db()
        return partner

    return make


def texts_management(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "5",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.fixture
def figures(people, make_partner):
    approver = people["approver"]
    make_partner("incheon", approver=approver)
    make_partner("busan", approver=approver, names={"en": "Busan", "vi": "Busan"})
    made = []
    for year, direction, country, purpose, public in [
        (2024, "in", "KR", "investment", True),
        (2024, "out", "JP", "conference", True),
        (2025, "in", "KR", "cooperation", True),
        (2025, "in", "CN", "conference", False),  # internal: never counted in public
    ]:
        d = Delegation.objects.create(
            direction=direction,
            start=datetime.date(year, 5, 2),
            end=datetime.date(year, 5, 4),
            countries=[country],
            organisation="Org",
            level="province",
            leader="Head",
            purpose=purpose,
            members_count=3,
            funding="state",
            unit="Phòng Hợp tác",
            public=public,
        )
        DelegationText.objects.create(delegation=d, language="vi", title=f"Đoàn {year} {country}")
        Member.objects.create(delegation=d, full_name="Secret Member", passport_number="P0000001")
        if public:
            history.publish(d, approver)
        made.append(d)
    ngo = Organisation.objects.create(
        name="Imaginary Aid", country="DE", registration="project_office", public=True
    )
    history.publish(ngo, approver)
    project = AidProject.objects.create(
        organisation=ngo,
        sector="health",
        district="Thủy Nguyên",
        currency="EUR",
        committed=Decimal("100000"),
        disbursed=Decimal("40000"),
        usd_rate=Decimal("1.1"),
        start=datetime.date(2025, 1, 1),
        status="running",
        public=True,
    )
    AidProjectText.objects.create(project=project, language="vi", title="Trạm y tế xã")
    history.publish(project, approver)
    return made
