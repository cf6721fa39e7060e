"""The `cangxanh` console command: Django's manage.py for an installed portal.

`cangxanh demo` loads the demo content; every other Django command works too
(`cangxanh migrate`, `cangxanh createsuperuser`, ...).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cangxanh.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
