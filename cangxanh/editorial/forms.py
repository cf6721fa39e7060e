"""The steps page's form: the action, its comment and a publication time within reach."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Action
from .workflow import beyond_horizon, horizon_message


class StepForm(forms.Form):
    action = forms.ChoiceField(choices=Action.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Leave empty to publish now; a later time schedules it."),
    )

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value is not None and value < timezone.now() - timedelta(minutes=1):
            raise forms.ValidationError(_("Choose a time in the future, or leave it empty."))
        if beyond_horizon(value):
            raise forms.ValidationError(horizon_message())
        return value
