"""The registries' public addresses under a language prefix (news.kinds reserves the words)."""

from django.urls import path

from cangxanh.core import converters  # noqa: F401  (registers uslug)

from . import statistics, views

app_name = "registry"

urlpatterns = [
    path("partners/", views.partners, name="partners"),
    path("partners/<uslug:slug>/", views.partner, name="partner"),
    path("delegations/", views.delegations, name="delegations"),
    path("agreements/", views.agreements, name="agreements"),
    path("statistics/", statistics.statistics, name="statistics"),
]
