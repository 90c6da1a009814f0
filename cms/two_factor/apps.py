from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "cms.two_factor"
    label = "two_factor"
    verbose_name = "Two-factor authentication"
