from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "interborough.core"
    label = "core"
    verbose_name = "Core"
