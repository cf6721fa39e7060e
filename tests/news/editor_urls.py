"""A test-only page with the body's editor, exactly as the admin builds it.

`editor.body_formfield` is what ArticleTranslationInline uses for the body, so
the browser test drives the real widget, its static files and the real
cleaning, without depending on the admin's wiring.
"""

from django import forms
from django.contrib import admin
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from cangxanh.editorial import editor
from cangxanh.news.models import ArticleTranslation

# The markup of a field in the admin's change form, so the editor sits as it will there.
PAGE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}{% load i18n static %}
{% block extrastyle %}{{ block.super }}<link rel="stylesheet" href="{% static "admin/css/forms.css" %}">{% endblock %}
{% block extrahead %}{{ block.super }}{{ media }}{% endblock %}
{% block content %}
<form method="post" id="editor-form">{% csrf_token %}
  <fieldset class="module aligned">
    <div class="form-row field-body">
      {{ form.body.errors }}
      <div><div class="flex-container">{{ form.body.label_tag }}{{ form.body }}</div>
      <div class="help" id="id_body_helptext"><div>{{ form.body.help_text }}</div></div></div>
    </div>
  </fieldset>
  <div class="submit-row"><input type="submit" value="{% translate 'Save' %}" class="default"></div>
</form>
{% if cleaned is not None %}<textarea id="cleaned" readonly>{{ cleaned }}</textarea>{% endif %}
{% endblock %}"""
)


class BodyForm(forms.Form):
    body = editor.body_formfield(ArticleTranslation._meta.get_field("body"))


@editor.with_editor
def edit(request):
    """Shows the editor; on a valid POST, also what the server made of the body."""
    form = BodyForm(request.POST or None)
    cleaned = form.cleaned_data["body"] if request.method == "POST" and form.is_valid() else None
    # With this answer's nonce on the editor's import map, as the admin does.
    media = editor.nonced(form.media, request)
    return HttpResponse(PAGE.render({"form": form, "media": media, "cleaned": cleaned}, request))


urlpatterns = [
    path("editor/", edit, name="editor"),
    path("admin/", admin.site.urls),
    path("editorial/", include("cangxanh.editorial.urls")),  # the picture picker
]
