"""The API's refusals, all in one shape (schemas.Error):
{"error": {"status": 404, "code": "not_found", "message": "...", "details": [...]}}."""

import json

from django.http import HttpResponse


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or []

    @classmethod
    def invalid(cls, parameter: str, message: str) -> "ApiError":
        return cls(
            422,
            "invalid_parameter",
            f"{parameter}: {message}",
            [{"parameter": parameter, "message": message}],
        )

    @classmethod
    def not_found(cls, message: str = "Nothing public has this address.") -> "ApiError":
        return cls(404, "not_found", message)


def body(status: int, code: str, message: str, details: list | None = None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def response(error: ApiError) -> HttpResponse:
    return HttpResponse(
        json.dumps(body(error.status, error.code, error.message, error.details)),
        status=error.status,
        content_type="application/json; charset=utf-8",
    )


def _location(loc) -> str:
    # ninja's loc: ("query", "lang") or ("path", "article_id"); the parameter's name is last.
    names = [str(part) for part in loc[1:] if not isinstance(part, int)] or [str(loc[-1])]
    return ".".join(names)


def from_validation(errors: list[dict]) -> ApiError:
    """ninja's ValidationError (pydantic's messages) as one clear refusal (422)."""
    from .schemas import LANGUAGE_CODES

    details = []
    for error in errors:
        name = _location(error.get("loc", ("query", "?")))
        if name == "lang":
            message = f"unknown language; use one of {', '.join(LANGUAGE_CODES)}."
        else:
            message = str(error.get("msg", "not valid"))
        details.append({"parameter": name, "message": message})
    summary = "; ".join(f"{d['parameter']}: {d['message']}" for d in details)
    return ApiError(422, "invalid_parameter", summary or "A parameter is not valid.", details)
