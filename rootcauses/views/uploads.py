"""Reading a request that carries evidence files.

The upload handler must be installed before the body is read, and CsrfViewMiddleware reads
the body for its token; so, as Django's documentation on upload handlers describes, the
view is exempted from the middleware and checks CSRF itself, after installing the handler.
"""

from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from ..uploads import EvidenceUploadHandler, max_size_text


def accepts_evidence(view):
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers = [EvidenceUploadHandler(request)]
        try:
            return protected(request, *args, **kwargs)
        except RequestDataTooBig:
            # The text fields (not the files) passed DATA_UPLOAD_MAX_MEMORY_SIZE: the form
            # cannot be read back, so say so plainly instead of a bare 400.
            return render(
                request, "rootcauses/too_large.html", {"limit": max_size_text()}, status=413
            )

    return wrapper
