"""Settings read on every request are kept as plain attributes, and still follow a
change of the setting."""

from django.test import override_settings

from cangxanh.core import hot


def test_a_kept_setting_follows_override_settings_both_ways(settings):
    settings.VIEWS_READER_WINDOW = 1800
    assert hot.settings.VIEWS_READER_WINDOW == 1800
    assert "VIEWS_READER_WINDOW" in vars(hot.settings)  # kept: no lookup next time
    with override_settings(VIEWS_READER_WINDOW=60):
        assert hot.settings.VIEWS_READER_WINDOW == 60
    assert hot.settings.VIEWS_READER_WINDOW == 1800
    settings.VIEWS_READER_WINDOW = 300  # pytest-django's fixture announces it too
    assert hot.settings.VIEWS_READER_WINDOW == 300


def test_a_missing_setting_is_an_attribute_error():
    assert not hasattr(hot.settings, "NO_SUCH_SETTING_HERE")
    assert not hasattr(hot.settings, "_private")
