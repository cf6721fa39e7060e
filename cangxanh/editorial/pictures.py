"""The article form's pictures: the library pictures an article shows, in order, the
first being the main one (cards, og:image, the top of the page).

One form field holds the whole ordered list, so the list can be a fact that waits
for approval (`editorial.facts`) instead of rows written at once. It works without
JavaScript: each picture has a position, a "main picture" choice and a remove box;
pictures are added with the admin's own search box (select2 over the image
library's search fields).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cangxanh.images.models import Image
from cangxanh.images.renditions import rendition
from cangxanh.news.models import ArticleImage


class PicturesWidget(forms.Widget):
    """The ordered list as position inputs, a main-picture radio, remove boxes and an
    add box; reads them back into one ordered list of image ids."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.adder = AutocompleteSelectMultiple(
            ArticleImage._meta.get_field("image"), admin.site, attrs={"class": "pictures__adder"}
        )
        # The admin's search box renders its chosen options from a field's choices.
        self.adder.choices = forms.ModelMultipleChoiceField(Image.objects.none()).choices

    @property
    def media(self):
        return self.adder.media

    def render(self, name, value, attrs=None, renderer=None):
        ids = [int(i) for i in (value or [])]
        found = Image.objects.with_texts().in_bulk(ids)
        lang = get_language() or "vi"
        items = []
        for index, image_id in enumerate(ids):
            image = found.get(image_id)
            if image is None:
                continue
            text = image.text(lang) or image.text("vi")
            items.append(
                {
                    "id": image_id,
                    "position": index + 1,
                    "name": str(image),
                    "alt": text.alt if text else "",
                    "card": rendition(image, "card"),
                    "main": index == 0,
                }
            )
        return render_to_string(
            "editorial/widgets/pictures.html",
            {
                "name": name,
                "items": items,
                "adder": self.adder.render(f"{name}-add", [], {"id": f"id_{name}-add"}),
            },
        )

    def value_from_datadict(self, data, files, name):
        if f"{name}-id" not in data and f"{name}-add" not in data:
            return None  # the field was not on the page
        order = []
        for index, raw in enumerate(data.getlist(f"{name}-id")):
            if not raw.isdigit() or f"{name}-{raw}-remove" in data:
                continue
            position = data.get(f"{name}-{raw}-position", "")
            rank = int(position) if position.strip().lstrip("-").isdigit() else index + 1
            order.append((rank, index, int(raw)))
        ids = [image_id for *_rank, image_id in sorted(order)]
        main = data.get(f"{name}-main", "")
        if main.isdigit() and int(main) in ids:
            ids.remove(int(main))
            ids.insert(0, int(main))
        ids += [int(i) for i in data.getlist(f"{name}-add") if i.isdigit()]
        return list(dict.fromkeys(ids))

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-id" not in data and f"{name}-add" not in data


class PicturesField(forms.Field):
    widget = PicturesWidget
    default_error_messages = {
        "missing": _("These pictures are not in the library: %(ids)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", capfirst(_("pictures")))
        kwargs.setdefault(
            "help_text",
            _(
                "The first is the main picture: it heads the article and stands for it in "
                "lists and when shared. Add pictures by searching the library."
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return [int(i) for i in value or []]

    def validate(self, value):
        super().validate(value)
        known = set(Image.objects.filter(pk__in=value).values_list("pk", flat=True))
        if missing := [str(i) for i in value if i not in known]:
            raise ValidationError(
                self.error_messages["missing"], code="missing", params={"ids": ", ".join(missing)}
            )

    def has_changed(self, initial, data):
        return list(initial or []) != list(data or [])
