from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "interborough.api"
    label = "api"
    verbose_name = "API"
