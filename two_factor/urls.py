"""Under /admin/two-factor/ (registered by `wagtail_hooks`, so Wagtail's admin-access check applies)."""

from django.urls import path

from . import views

app_name = "two_factor"

urlpatterns = [
    path("", views.TwoFactorSettingsView.as_view(), name="settings"),
    path("remove/", views.DisableTwoFactorView.as_view(), name="remove"),
    path("verify/", views.VerifyCodeView.as_view(), name="verify"),
]
