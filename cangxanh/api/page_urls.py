"""The API's documentation page under a language prefix (before the news' section slugs:
apps.ApiConfig reserves "api")."""

from django.urls import path

from cangxanh.core.lazy import view

urlpatterns = [path("api/", view("cangxanh.api.views.docs"), name="api-docs")]
