from django.apps import AppConfig


class ChartsConfig(AppConfig):
    name = "cangxanh.charts"
    verbose_name = "Charts"
