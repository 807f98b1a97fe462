from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "anlan.api"
    label = "api"
    verbose_name = "API"
