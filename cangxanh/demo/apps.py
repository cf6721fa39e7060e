from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cangxanh.demo"
    verbose_name = "Demo content"

    def ready(self):
        from django.core import checks

        from .checks import check_demo_password

        checks.register(check_demo_password)
