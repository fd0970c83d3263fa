"""The public progress page: the programme's progress as the trust chooses to publish it,
for anyone, without signing in, safe to link from the trust's website.

What it shows, and only when the programme publishes its progress and the PMO has approved
the page (engagement.PublicPage): counts and % of trajectory per group at the end of the last
full month (the counting rule in qip.reporting.trajectory), the CQC findings whose every root
cause is complete, and "Improvement in action" stories the PMO approved, with only the quotes
people agreed to publish (engagement.selectors.publishable_stories). No names anywhere.

The page's figures are cached per programme (qip.reporting.public_progress). The roll-up
refreshes them by calling `refresh_public_progress(programme)`; engagement's own writes (a story withdrawn, consent
taken back, the settings changed) drop the cached copy at once (engagement.publication).

The response sets no cookies and carries no form: it is rendered without the request, so no
session is read and no CSRF token is made, and it never links into the signed-in site.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from engagement.publication import CACHE_SECONDS, cache_key

from ..reporting.public_progress import public_progress_data, published_page

BROWSER_CACHE_SECONDS = 300


@login_not_required
@require_safe
def public_progress(request, programme_pk: int):
    """The page itself. Publication is checked on every request, so turning it off is
    immediate; the figures come from the cache."""
    published = published_page(programme_pk)
    if published is None:
        return HttpResponseNotFound(render_to_string("qip/public_not_found.html"))
    programme, page = published
    key = cache_key(programme.pk)
    data = cache.get(key)
    if data is None:
        data = public_progress_data(programme, page)
        cache.set(key, data, CACHE_SECONDS)
    response = HttpResponse(render_to_string("qip/public_progress.html", data))
    patch_cache_control(response, public=True, max_age=BROWSER_CACHE_SECONDS)
    return response
