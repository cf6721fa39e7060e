"""The comment form: which part of the draft, the comment (plain text), who writes,
and consent to the personal-data notice. The form's defences (honeypot, fill-time
token, proof of work) are `inbox.defences`, checked by the view beside this form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cangxanh.core.text import shorten
from cangxanh.inbox import spam

from .anchors import Paragraph
from .moderation import NAME_MAX, ORGANISATION_MAX, TEXT_MAX

# A paragraph's label in the list: its number and its first words.
LABEL_CHARS = 90


def paragraph_choices(paragraphs: list[Paragraph]) -> list[tuple[str, str]]:
    choices = [("", _("The draft as a whole"))]
    for number, paragraph in enumerate(paragraphs, start=1):
        words = shorten(paragraph.text, LABEL_CHARS, translation.get_language())
        choices.append((paragraph.key, f"{number}. {words}"))
    return choices


class CommentForm(forms.Form):
    paragraph = forms.ChoiceField(
        label=_("Your comment is on"),
        required=False,
        help_text=_("A paragraph of the draft, or the draft as a whole."),
        # A paragraph a new version of the draft removed while the form was open.
        error_messages={
            "invalid_choice": _(
                "This paragraph is no longer in the draft: choose another one, or the "
                "draft as a whole."
            )
        },
    )
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 8}),
        # Counted after cleaning (spam.normalise), so the limit is on what is kept.
        strip=False,
        help_text=_("Plain text. Links and formatting are not shown."),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        help_text=_("Published with your comment, unless you ask below to leave it out."),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=ORGANISATION_MAX,
        required=False,
        help_text=_(
            "If you write on behalf of an organisation or a business: it is published "
            "with your comment."
        ),
    )
    hide_name = forms.BooleanField(
        label=_("Publish my comment without my name"),
        required=False,
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Never shown to readers. We write only if we need to ask about your comment."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the office keeps my name and e-mail to handle this comment, "
            "as the personal-data notice says."
        ),
        error_messages={"required": _("Please agree to the personal-data notice to send.")},
    )

    def __init__(self, *args, paragraphs: list[Paragraph], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].choices = paragraph_choices(paragraphs)
        self.fields["text"].widget.attrs["maxlength"] = str(TEXT_MAX)
        # Sent with the form on a page that is never cached (views.comment).
        for name in ("name", "email", "organisation"):
            self.fields[name].widget.attrs["autocomplete"] = {
                "name": "name",
                "email": "email",
                "organisation": "organization",
            }[name]

    def clean_text(self):
        raw = self.cleaned_data.get("text", "")
        if not spam.normalise(raw, TEXT_MAX):  # ValidationError when too long
            raise ValidationError(_("Please write your comment."), code="required")
        return raw  # the service keeps the cleaned form, screening what was sent
