from django.contrib.auth import views as auth_views
from django.urls import path

from kehoach.accounts import views, views_imports

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("xac-thuc/", views.verify, name="verify"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("bao-mat/", views.security, name="security"),
    path("bao-mat/ung-dung-xac-thuc/", views.two_factor_setup, name="two_factor_setup"),
    path("bao-mat/ma-du-phong/", views.recovery_codes, name="recovery_codes"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("nhap-excel/", views_imports.import_users, name="import"),
    path("nhap-excel/mau.xlsx", views_imports.import_template, name="import_template"),
    path("xuat-excel/", views_imports.export_users, name="export"),
]
