from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.views import healthz_view, home_view

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.ADMIN_SITE_HEADER

urlpatterns = [
    path("", home_view, name="home"),
    path("healthz", healthz_view, name="healthz"),
    path("api/v1/", include("config.api_urls")),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("filings.urls")),
    path("", include("filings.public_urls")),
    path("", include("supervision.urls")),
]
