"""The newsroom's admin URLs, imported on the first request under admin/ or the first
reverse() of an `admin:` name (cangxanh.urls): their import fills the registry."""

from django.contrib import admin

app_name = "admin"
urlpatterns = admin.site.get_urls()
