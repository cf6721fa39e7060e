"""The admin of questions and answers: topics, the working-day calendar, the e-mails to
askers, and the answers' texts (the article admin, for rich text and translations).

The questions themselves are worked in the newsroom's queue (editorial.question_views),
not here: it shows each asker's personal data to those who answer them only.

The calendar is the administrators' (no role but Administrator holds its permissions):
saving or deleting an entry moves every open question's due date in the same transaction
(`services.calendar_day_save` / `calendar_day_delete`).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cangxanh.editorial.content_admin import (
    ArticleAdmin,
    ArticleTranslationInline,
    TranslationAdminForm,
)

from . import services
from .models import KIND, Answer, QuestionMail, Topic, TopicName, WorkCalendarDay


class TopicNameInline(admin.TabularInline):
    model = TopicName
    extra = 0
    min_num = 1


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["key", "names", "position", "active"]
    list_editable = ["position", "active"]
    inlines = [TopicNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    @admin.display(description=_("names"))
    def names(self, obj):
        return " · ".join(row.name for row in obj.names.all())


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note", "basis"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["note", "basis"]

    def _moved(self, request, count: int) -> None:
        if count:
            self.message_user(
                request,
                ngettext(
                    "The due date of %(count)d open question moved with the calendar.",
                    "The due dates of %(count)d open questions moved with the calendar.",
                    count,
                )
                % {"count": count},
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change):
        self._moved(request, services.calendar_day_save(obj))

    def delete_model(self, request, obj):
        self._moved(request, services.calendar_day_delete(obj))

    def delete_queryset(self, request, queryset):
        self._moved(request, services.calendar_days_delete(queryset))


@admin.register(QuestionMail)
class QuestionMailAdmin(admin.ModelAdmin):
    """What was sent to askers and what failed (no address or text is shown here)."""

    list_display = ["question", "kind", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AnswerTextForm(TranslationAdminForm):
    labels = {
        "title": (_("Title"), _("What the question is about, in a few words.")),
        "lead": (
            _("Question as published"),
            _("The asker's question with every piece of personal data removed."),
        ),
        "body": (_("Answer"), ""),
    }


class AnswerTextInline(ArticleTranslationInline):
    form = AnswerTextForm


@admin.register(Answer)
class AnswerAdmin(ArticleAdmin):
    """An answer's texts with the rich-text editor. Answers are made from their question's
    page in the newsroom (never added here), and before an answer's original is
    submitted, published or sent, its text must be confirmed free of personal data there."""

    fields = ["original_language"]
    inlines = [AnswerTextInline]
    list_display = ["__str__", "languages", "created_at"]
    list_filter = ["translations__language", "translations__status"]
    autocomplete_fields = []
    kind = KIND

    # Answers are articles: the article permissions decide.
    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.has_perm("news.view_article") or user.has_perm("news.change_article")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("news.change_article")

    def has_delete_permission(self, request, obj=None):
        return False

    def facts_in_form(self, form) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["original_language"]
