from django.apps import AppConfig


class QipConfig(AppConfig):
    name = "qip"
    verbose_name = "Programme"
