from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "interborough.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"
