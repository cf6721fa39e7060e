"""`/editorial/registries/`: the registry officers' desk and the approvers' view of it.

What waits for an approver (a first publication, a change, a withdrawal), with the
approver's buttons; and the reminders the office's work needs: agreements that
expire within six months (or are past their date but still marked in force),
agreements not yet reported to the Ministry of Foreign Affairs, NGO registrations
that expire within three months, and outgoing delegations back for a month without
their report.
"""

from __future__ import annotations

import datetime

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cangxanh.registry import history
from cangxanh.registry.models import (
    Agreement,
    AgreementStatus,
    AidProject,
    Delegation,
    Direction,
    Organisation,
    Partner,
)
from cangxanh.registry.statistics import labelled, scope

from .views import _context

REGISTRIES = (Partner, Delegation, Agreement, Organisation, AidProject)
EXPIRY_WARNING = datetime.timedelta(days=183)
REGISTRATION_WARNING = datetime.timedelta(days=92)
REPORT_DUE = datetime.timedelta(days=30)


def may_see(user) -> bool:
    return user.is_active and (
        user.is_superuser
        or any(user.has_perm(f"registry.view_{m._meta.model_name}") for m in REGISTRIES)
    )


def _admin_url(obj) -> str:
    return reverse(f"admin:registry_{obj._meta.model_name}_change", args=[obj.pk])


def waiting() -> list[dict]:
    """Every record whose public copy differs from what the office asks readers to see."""
    rows = []
    for model in REGISTRIES:
        queryset = model.objects.filter(Q(public=True) | Q(public_data__isnull=False))
        if model is Partner:
            queryset = queryset.prefetch_related("texts", "articles")
        elif model is not Organisation:
            queryset = queryset.prefetch_related("texts")
        for obj in queryset:
            if history.state(obj) != "waiting":
                continue
            if not obj.public:
                what = _("withdrawal")
            elif obj.public_data is None:
                what = _("first publication")
            else:
                what = _("changes")
            rows.append(
                {
                    "registry": model._meta.verbose_name,
                    "label": str(obj),
                    "what": what,
                    "updated_at": obj.updated_at,
                    "url": _admin_url(obj),
                    "step_url": reverse(
                        f"admin:registry_{model._meta.model_name}_step", args=[obj.pk]
                    ),
                    "step": "publish" if obj.public else "withdraw",
                }
            )
    return sorted(rows, key=lambda row: row["updated_at"])


def reminders(today: datetime.date) -> dict[str, list]:
    expiring = (
        Agreement.objects.filter(
            status=AgreementStatus.IN_FORCE,
            expires_on__isnull=False,
            expires_on__lte=today + EXPIRY_WARNING,
        )
        .prefetch_related("texts")
        .order_by("expires_on")
    )
    unreported = (
        Agreement.objects.filter(signed_on__isnull=False, reported_on__isnull=True)
        .exclude(status=AgreementStatus.NEGOTIATING)
        .prefetch_related("texts")
        .order_by("signed_on")
    )
    registrations = Organisation.objects.filter(
        registration_expires__isnull=False,
        registration_expires__lte=today + REGISTRATION_WARNING,
    ).order_by("registration_expires")
    reports = (
        Delegation.objects.filter(
            direction=Direction.OUTGOING, end__lte=today - REPORT_DUE, report=""
        )
        .prefetch_related("texts")
        .order_by("end")
    )
    return {
        "expiring": [(a, a.expires_on < today, _admin_url(a)) for a in expiring],
        "unreported": [(a, _admin_url(a)) for a in unreported],
        "registrations": [
            (o, o.registration_expires < today, _admin_url(o)) for o in registrations
        ],
        "reports": [(d, _admin_url(d)) for d in reports],
    }


@staff_member_required
def registries(request):
    if not may_see(request.user):
        raise PermissionDenied(
            _("Only registry officers, approvers and administrators see the registries.")
        )
    today = timezone.localdate()
    links = [
        (
            model._meta.verbose_name_plural,
            reverse(f"admin:registry_{model._meta.model_name}_changelist"),
        )
        for model in REGISTRIES
        if request.user.has_perm(f"registry.view_{model._meta.model_name}")
    ]
    response = render(
        request,
        "editorial/registries.html",
        _context(
            request,
            title=_("Registries"),
            waiting=waiting(),
            may_publish=history.can_publish(request.user),
            links=links,
            today=today,
            **reminders(today),
        ),
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- The office's own figures and the ministries' reports ----------------------------


def _all_delegations(year: str, direction: str):
    rows = Delegation.objects.all()
    if year != "all":
        rows = rows.filter(start__year=int(year))
    if direction != "all":
        rows = rows.filter(direction=direction)
    return rows


def _counted(caption: str, heading: str, counts: dict, scope: str):
    from cangxanh.charts.tables import Column, Row, Table

    rows = tuple(
        Row(label or _("not recorded"), (count,))
        for label, count in sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))
    )
    summary = (
        _("%(caption)s (%(scope)s): %(leader)s comes first with %(count)s.")
        % {"caption": caption, "scope": scope, "leader": rows[0].label, "count": rows[0].values[0]}
        if rows
        else _("No delegations for this choice.")
    )
    return Table(caption, summary, heading, (Column(_("Delegations")),), rows)


def figures_set():
    from cangxanh.charts.states import Chart, ChartSet, Filter
    from cangxanh.registry.models import Funding, Purpose

    years = tuple(str(d.year) for d in Delegation.objects.dates("start", "year"))

    def by(field, choices, caption, heading):
        def build(year, direction):
            # Counted by the database, each label translated once (not once a record).
            rows = _all_delegations(year, direction).order_by().values(field)
            counts = dict(rows.annotate(n=Count("pk")).values_list(field, "n"))
            if choices:
                counts = labelled(counts, choices)
            return _counted(caption, heading, counts, scope(year, direction))

        return build

    uses = ("year", "direction")
    return ChartSet(
        [
            Chart(
                "by-unit",
                by("unit", None, _("Delegations by unit in charge"), _("Unit")),
                "hbar",
                uses=uses,
            ),
            Chart(
                "by-funding",
                by("funding", Funding, _("Delegations by funding source"), _("Funding source")),
                "hbar",
                uses=uses,
            ),
            Chart(
                "by-purpose",
                by("purpose", Purpose, _("Delegations by purpose"), _("Purpose")),
                "hbar",
                uses=uses,
            ),
        ],
        [
            Filter("year", "all", ("all", *years)),
            Filter("direction", "all", ("all", *(c.value for c in Direction))),
        ],
        prefix="delegations-",
    )


@staff_member_required
def figures(request):
    """`/editorial/registries/figures/`: every record counted (public or not), and the
    annual reports (forms 03 and 04) as XLSX."""
    from django.http import HttpResponse

    from cangxanh.charts.files import content_disposition
    from cangxanh.registry import reports

    if not may_see(request.user):
        raise PermissionDenied(
            _("Only registry officers, approvers and administrators see the registries.")
        )
    form, year = request.GET.get("report"), request.GET.get("report_year", "")
    if form is not None:
        if form not in ("03", "04") or not year.isdigit() or not 1990 <= int(year) <= 2100:
            from django.http import Http404

            raise Http404(_("No such report."))
        content = reports.form_03(int(year)) if form == "03" else reports.form_04(int(year))
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition(f"form-{form}-{year}.xlsx")
        response["Cache-Control"] = "private, no-store"
        return response
    charts = figures_set()
    page = charts.handle(request)
    if not hasattr(page, "states"):
        page["Cache-Control"] = "private, no-store"
        return page
    response = render(
        request,
        "editorial/registry_figures.html",
        _context(
            request,
            title=_("Registries in figures"),
            page=page,
            years=[y for y in charts.filters["year"].choices if y != "all"],
            directions=Direction.choices,
            report_years=reports.years() or [timezone.localdate().year],
        ),
    )
    response["Cache-Control"] = "private, no-store"
    return response
