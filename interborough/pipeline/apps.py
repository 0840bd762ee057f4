from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "interborough.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline"
