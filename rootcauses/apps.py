from django.apps import AppConfig


class RootcausesConfig(AppConfig):
    name = "rootcauses"
    verbose_name = "Root causes"
