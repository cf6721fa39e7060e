from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cangxanh.demo"
    verbose_name = "Demo content"
