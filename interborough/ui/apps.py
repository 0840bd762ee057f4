from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "interborough.ui"
    label = "ui"
    verbose_name = "User interface"
