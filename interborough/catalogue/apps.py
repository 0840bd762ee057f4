from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "interborough.catalogue"
    label = "catalogue"
    verbose_name = "City data store"
