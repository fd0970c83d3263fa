"""Request ids for the logs, and a friendly page when the database refuses a write."""

import contextvars
import logging
import re
import uuid

from django.db import DatabaseError
from django.shortcuts import render

logger = logging.getLogger(__name__)

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` to every log record (a dash outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    """Give each request an id (or keep a proxy's X-Request-ID) and echo it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


# Fields never echoed back to the browser.
_NEVER_SHOWN = {"csrfmiddlewaretoken", "password", "password1", "password2", "version"}


class DatabaseErrorMiddleware:
    """When the database refuses a write, say so plainly and give the person their input back.

    Nothing was saved (each service runs in one transaction). The page shows what they typed,
    so that they can copy it and try again, instead of a bare server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError) or request.method != "POST":
            return None
        logger.exception("The database refused a write on %s", request.path)
        typed = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in _NEVER_SHOWN
            for value in values
            if value.strip()
        ]
        return render(
            request,
            "database_error.html",
            {"typed": typed, "request_id": getattr(request, "request_id", "")},
            status=503,
        )
