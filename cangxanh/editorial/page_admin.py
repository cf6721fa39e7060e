"""The newsroom's admin of the agency's pages (agency, the kind "page").

A page is edited as an article is (content_admin.ArticleAdmin: its language
versions inline, the workflow's steps, its pictures, the first one the main one,
a leader's photo), without a section, author or source, and with the page's own
facts: where it stands in the tree, which fixed page it is, its layout, a leader's
person, a phone and an e-mail. They are saved through `editorial.facts` under
"extra", so on a published page they wait for an approver like the pictures.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cangxanh.agency.facts import FIELDS, PageKindFacts
from cangxanh.agency.models import PAGE, AgencyPage, Key, Layout
from cangxanh.news.models import Article, Person

from . import facts
from .content_admin import ArticleAdminForm, KindAdmin


class PageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)  # the original's title


class PageAdminForm(ArticleAdminForm):
    parent = PageChoiceField(
        label=_("parent page"),
        queryset=Article.objects.none(),
        required=False,
        help_text=_("Empty: a page of the agency's first level."),
    )
    position = forms.IntegerField(
        label=_("position"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Pages of the same level are shown in this order."),
    )
    key = forms.ChoiceField(
        label=_("fixed page"),
        choices=[("", "—"), *Key.choices],
        required=False,
        help_text=_("The page the site shows at this fixed place, if any."),
    )
    layout = forms.ChoiceField(label=_("layout"), choices=Layout.choices, initial=Layout.TEXT)
    person = forms.ModelChoiceField(
        label=_("person"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("A leader's page: the person (their position comes from their record)."),
    )
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)

    class Meta:
        model = AgencyPage
        fields = ["original_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.kind = PAGE  # validated as a page, not as news (section)
        pages = Article.objects.filter(kind=PAGE).prefetch_related("translations")
        if self.instance.pk:
            pages = pages.exclude(pk=self.instance.pk)
            # What editors work on: the waiting facts when there are some.
            extra = facts.working(self.instance).get("extra") or {}
            for name in FIELDS:
                if name in extra:
                    self.initial[name] = extra[name] if extra[name] is not None else ""
        if "parent" in self.fields:
            self.fields["parent"].queryset = pages

    def extra(self) -> dict:
        data = self.cleaned_data
        return {
            "parent": data["parent"].pk if data.get("parent") else None,
            "position": data.get("position") or 0,
            "key": data.get("key") or None,
            "layout": data.get("layout") or Layout.TEXT.value,
            "person": data["person"].pk if data.get("person") else None,
            "phone": data.get("phone") or "",
            "email": data.get("email") or "",
        }

    def clean(self):
        cleaned = super().clean()
        if "layout" not in self.fields or self.errors:
            return cleaned
        extra = self.extra()
        if extra["layout"] == Layout.LEADER and extra["person"] is None:
            self.add_error("person", _("A leader's page needs the leader: choose the person."))
            return cleaned
        try:
            extra = PageKindFacts().normalised(extra)
            PageKindFacts.check_place(self.instance, extra)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def facts(self) -> dict:
        working = facts.working(self.instance) if self.instance.pk else {}
        return {
            "section": None,
            # Pages show no author or source: whatever an article had stays as it is.
            "author": working.get("author"),
            "source": working.get("source"),
            "source_url": working.get("source_url") or "",
            "images": self.cleaned_data.get("pictures") or [],
            "extra": self.extra(),
        }


# Only those who write originals change a page's facts (as an article's).
_FACTS_FIELDS = ["original_language", "parent", "position", "key", "layout", "person"]


@admin.register(AgencyPage)
class AgencyPageAdmin(KindAdmin):
    form = PageAdminForm
    kind = PAGE
    facts_field = "layout"
    translator_fields = ["original_language", "place", "pictures"]
    list_display = ["__str__", "place", "languages", "created_at"]
    fields = [*_FACTS_FIELDS, "phone", "email", "pictures"]
    facts_waiting_message = _(
        "Readers keep the page's place, layout, person, contacts and pictures until an "
        "approver publishes the original's new version."
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("page_facts__parent")
            .prefetch_related("page_facts__parent__translations")
        )

    @admin.display(description=_("place"))
    def place(self, obj):
        """Where readers find the page now (the live facts)."""
        live = getattr(obj, "page_facts", None) if obj is not None else None
        if live is None:
            return "—"
        parts = [str(live.get_layout_display())]
        if live.key:
            parts.append(str(live.get_key_display()))
        if live.parent is not None:
            parts.append(_("under “%(title)s”") % {"title": live.parent})
        return " · ".join(parts)
