from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "two_factor"
    label = "two_factor"
    verbose_name = "Two-factor authentication"
