"""The proof-of-work challenge every public form's solver fetches (inbox.defences): a
fresh one each time, never stored. Questions serve it at `/<lang>/questions/challenge/`;
the consultations' comment form uses this view too. No model is imported here, so
another app may import it without the questions' tables."""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from cangxanh.inbox import defences


@require_safe
def challenge(request):
    """A fresh proof-of-work challenge for a form's solver (never stored anywhere)."""
    response = JsonResponse(defences.new_challenge())
    response["Cache-Control"] = "no-store"
    return response
