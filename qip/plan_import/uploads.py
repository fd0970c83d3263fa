"""Keep an uploaded plan file between the dry run and the commit.

The file is saved in the private storage (never under a public URL) under a random name, and
the session remembers which token belongs to which programme. Only the person who uploaded it,
in their own session, for that programme, can commit it; the commit reads and checks the file
again. One pending file per person and programme: a new upload replaces the last.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

SESSION_KEY = "plan_imports"
FOLDER = "plan-imports"


@dataclass
class PendingUpload:
    token: str
    name: str
    path: str
    create_isgs: bool
    original_baseline: bool


def _storage():
    return storages["private"]


def keep(
    request,
    programme_id: int,
    name: str,
    content: bytes,
    *,
    create_isgs: bool,
    original_baseline: bool,
) -> PendingUpload:
    discard(request, programme_id)
    token = secrets.token_urlsafe(24)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    path = _storage().save(f"{FOLDER}/{token}.{extension}", ContentFile(content))
    pending = request.session.get(SESSION_KEY, {})
    pending[str(programme_id)] = {
        "token": token,
        "name": name,
        "path": path,
        "user": request.user.pk,
        "create_isgs": create_isgs,
        "original_baseline": original_baseline,
    }
    request.session[SESSION_KEY] = pending
    return PendingUpload(token, name, path, create_isgs, original_baseline)


def find(request, programme_id: int, token: str) -> PendingUpload | None:
    entry = request.session.get(SESSION_KEY, {}).get(str(programme_id))
    if (
        not entry
        or not secrets.compare_digest(entry["token"], token or "")
        or entry["user"] != request.user.pk
        or not _storage().exists(entry["path"])
    ):
        return None
    return PendingUpload(
        entry["token"],
        entry["name"],
        entry["path"],
        entry["create_isgs"],
        entry["original_baseline"],
    )


def read(upload: PendingUpload) -> bytes:
    with _storage().open(upload.path, "rb") as handle:
        return handle.read()


def discard(request, programme_id: int) -> None:
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(str(programme_id), None)
    if entry:
        _storage().delete(entry["path"])
        request.session[SESSION_KEY] = pending


def discard_stale(*, max_age: dt.timedelta) -> int:
    """Delete kept files older than max_age (the session that knew them has moved on)."""
    storage = _storage()
    if not storage.exists(FOLDER):
        return 0
    _folders, files = storage.listdir(FOLDER)
    cutoff = timezone.now() - max_age
    removed = 0
    for name in files:
        path = f"{FOLDER}/{name}"
        if storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            removed += 1
    return removed
