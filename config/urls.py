from django.contrib import admin
from django.urls import include, path

from kehoach.api.api import api
from kehoach.core import views as core_views

admin.site.site_header = "Kế hoạch — Quản trị hệ thống"
admin.site.site_title = "Kế hoạch"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("", include("kehoach.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("tai-khoan/", include("kehoach.accounts.urls")),
    path("don-vi/", include("kehoach.org.urls")),
    path("nhat-ky/", include("kehoach.audit.urls")),
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
]
