"""The public progress page's cache key, kept here so that engagement's writes can drop a
stale page without importing the top layer (qip/views/public.py builds and stores it).

A story withdrawn, a consent taken back or the page's settings changed must not wait for the
next roll-up: each of those writes calls forget_public_progress after its transaction commits.
"""

from django.core.cache import cache

CACHE_KEY = "public-progress:{programme_id}"
# The roll-up refreshes the page; this is only a backstop if the roll-up stops running.
CACHE_SECONDS = 24 * 60 * 60


def cache_key(programme_id: int) -> str:
    return CACHE_KEY.format(programme_id=programme_id)


def forget_public_progress(programme_id: int) -> None:
    cache.delete(cache_key(programme_id))
