"""`/editorial/visits/`: the visit statistics the law asks a portal to keep, for
those with `stats.view_visits` (approvers and administrators): views per day by
language and by section, the most read, and referrers by kind, over 7, 30 or 90
days, each chart with its table and its CSV and XLSX (stats.visits, charts)."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cangxanh.stats import visits as reads


def may_see(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("stats.view_visits"))


@staff_member_required
def visits(request):
    if not may_see(request.user):
        raise PermissionDenied(_("Only approvers and administrators see the visit statistics."))
    result = reads.CHARTS.handle(request)
    if isinstance(result, HttpResponse):
        response = result
    else:
        days = int(result.filters["days"])
        periods = [
            {
                "days": int(value),
                "url": result.url_with(days=value),
                "current": value == result.filters["days"],
            }
            for value in reads.PERIODS
        ]
        response = render(
            request,
            "editorial/visits.html",
            {
                "title": _("Visit statistics"),
                "page": result,
                "days": days,
                "periods": periods,
                "figures": reads.totals(days),
            },
        )
    response["Cache-Control"] = "private, no-store"
    return response
