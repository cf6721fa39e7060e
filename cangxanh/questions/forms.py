"""The public forms: asking a question, and looking one up by its code and e-mail.

Everything a stranger types is plain text: `inbox.spam.normalise` keeps it
(NFC, no control or invisible characters, a size limit with a clear message),
the templates escape it, and nothing turns it into HTML. Every message is in
the reader's language and a form shown again keeps what was typed.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cangxanh.core import languages
from cangxanh.inbox.models import EMAIL_MAX, NAME_MAX
from cangxanh.inbox.spam import normalise

from . import codes
from .models import PHONE_MAX, TEXT_MAX, Topic

TEXT_MIN = 15
_PHONE = re.compile(r"\+?[0-9][0-9 .()\-]*")
EMAIL_INVALID = _("Enter a valid e-mail address, such as name@example.com.")


def canonical_domain(domain: str) -> str:
    """A domain as one spelling: IDNA's mapping (NFKC, lower case, the invisible characters
    it maps to nothing), back in Unicode; as typed (lower case) if it is no domain."""
    try:
        return domain.encode("idna").decode("idna").lower()
    except UnicodeError:
        return domain.lower()


class AddressField(forms.EmailField):
    """An e-mail address in the one spelling the mail server delivers to.

    The mail library sends a@example.vn with a zero-width space inside, or with a
    full-width letter (a@ｅxample.vn), to a@example.vn
    (IDNA maps them), so such spellings would each get their own daily allowance of
    tracking codes (limits.mail_allowed) and would not be found again by the tracking
    page when the asker types the address plainly. Invisible and control characters
    (pasted along with the address) are dropped, the address is NFKC-normalised and its
    domain spelled as IDNA spells it. A quoted local part ("a b"@example.vn) is refused:
    no person's address needs one, and it may hold commas, spaces and control
    characters.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["invalid"] = EMAIL_INVALID

    def to_python(self, value):
        value = super().to_python(value)
        value = "".join(c for c in value if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
        value = unicodedata.normalize("NFKC", value).strip()
        local, at, domain = value.rpartition("@")
        if at and local and domain:
            value = f"{local}@{canonical_domain(domain)}"
        return value

    def validate(self, value):
        super().validate(value)
        if value.startswith('"'):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class AskForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = AddressField(
        label=_("Your e-mail address"),
        max_length=EMAIL_MAX,
        help_text=_("We send the tracking code and the answer to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=PHONE_MAX,
        help_text=_("Only if you would like us to call you about your question."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    topic = forms.ChoiceField(label=_("Topic"))
    text = forms.CharField(
        label=_("Your question"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 9, "maxlength": TEXT_MAX}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the personal-data notice and agree that my question is handled as it says."
        ),
        error_messages={
            "required": _("Please agree to the personal-data notice to send your question.")
        },
    )

    def __init__(self, *args, lang: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {
            topic.key: topic
            for topic in Topic.objects.filter(active=True).prefetch_related("names")
        }
        self.fields["topic"].choices = [("", _("Choose a topic"))] + [
            (key, topic.name(lang)) for key, topic in self.topics.items()
        ]
        self.fields["text"].help_text = _(
            "Plain text, at most %(max)s characters. Please leave out ID numbers and other "
            "personal data we do not need to answer."
        ) % {"max": languages.get(lang).format_number(TEXT_MAX)}
        self.fields["topic"].error_messages["invalid_choice"] = _("Choose a topic from the list.")
        for field in self.fields.values():
            field.error_messages.setdefault("required", _("This field is required."))

    def clean_name(self):
        name = normalise(self.cleaned_data["name"], NAME_MAX)
        if not name:
            raise ValidationError(_("Please tell us your name."), code="required")
        return " ".join(name.split())

    def clean_phone(self):
        phone = normalise(self.cleaned_data.get("phone", ""), PHONE_MAX)
        if not phone:
            return ""
        # Typed with a Japanese, Chinese or Korean input method: full-width digits and
        # dashes (０９０－１２３４－５６７８, the long vowel mark ー for a dash).
        phone = "".join(
            "-" if unicodedata.category(c) == "Pd" or c == "ー" else c
            for c in unicodedata.normalize("NFKC", phone)
        )
        digits = sum(char.isdigit() for char in phone)
        if not _PHONE.fullmatch(phone) or not 8 <= digits <= 15:
            raise ValidationError(
                _("Enter a phone number with 8 to 15 digits, such as 0225 3123 456."),
                code="invalid",
            )
        return phone

    def clean_topic(self):
        key = self.cleaned_data["topic"]
        return self.topics[key]

    def clean_text(self):
        text = normalise(self.cleaned_data["text"], TEXT_MAX)
        if len(text) < TEXT_MIN:
            raise ValidationError(
                _("Please write your question in a few more words (at least %(min)d characters).")
                % {"min": TEXT_MIN},
                code="min_length",
            )
        return text


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "HD-2026-000123-8"}
        ),
    )
    email = AddressField(
        label=_("The e-mail address you asked with"),
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("This field is required.")

    def clean_code(self):
        try:
            return codes.parse_code(self.cleaned_data["code"])
        except codes.InvalidCode as error:
            raise ValidationError(error.message, code=error.code) from None
