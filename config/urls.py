from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kehoach.api.api import api
from kehoach.core import views as core_views

admin.site.site_header = _("Kế hoạch — system administration")
admin.site.site_title = "Kế hoạch"
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", include("kehoach.core.urls")),
    path("tong-quan/", include("kehoach.dashboard.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("tai-khoan/", include("kehoach.accounts.urls")),
    path("don-vi/", include("kehoach.org.urls")),
    path("nhat-ky/", include("kehoach.audit.urls")),
    path("quan-tri-du-lieu/", include("kehoach.transfer.urls")),
    path("ke-hoach/", include("kehoach.plans.urls")),
    path("van-ban/", include("kehoach.documents.urls")),
    path("viec/", include("kehoach.activities.urls_tasks")),
    path("hoat-dong/", include("kehoach.activities.urls_activities")),
    path("bao-phu/", include("kehoach.activities.urls_coverage")),
    path("thong-bao/", include("kehoach.activities.urls_notifications")),
    path("bao-cao/", include("kehoach.reports.urls")),
    path("tong-hop/", include("kehoach.reports.summary_urls")),
    path("dien-hinh/", include("kehoach.exemplars.urls")),
    path("chi-tieu/", include("kehoach.indicators.urls")),
    path("du-luan/", include("kehoach.feedback.digest_urls")),
    path("y-kien/", include("kehoach.feedback.urls")),
    path("truyen-thanh/", include("kehoach.content.broadcast_urls")),
    path("noi-dung/", include("kehoach.content.urls")),
    path("tin/", include("kehoach.content.public_urls")),
    path("feeds/", include("kehoach.content.feed_urls")),
    path("infographic/", include("kehoach.dashboard.infographic_urls")),
    path("tim-kiem/", include("kehoach.search.urls")),
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
]
