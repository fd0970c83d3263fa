"""The load test: owners posting updates, chairs opening sprint pages, executives reading the
dashboard and the KPI summary. Run by `make load` (load/run.sh), which prepares the demo
database, starts gunicorn and a Celery worker on loopback and runs this headless.

Reads the plan load/prepare.py wrote (LOAD_PLAN) and appends one line per update it posted
to LOAD_MARKERS: root cause id, period id, a unique marker. Each post keeps the narrative
the form showed and adds its marker, so afterwards (load/check_stored.py) every marker
must be in the stored update exactly once: a lost or doubled write would show.

The server runs with production settings (DEBUG off, secure cookies), as behind a proxy
that ends TLS: requests say X-Forwarded-Proto: https, and the cookie jar keeps the secure
cookies as plain ones for loopback. Only loopback is ever a target.
"""

import html
import itertools
import json
import os
import random
import re
import threading
import uuid
from urllib.parse import urlparse

from locust import HttpUser, between, task
from requests.cookies import RequestsCookieJar

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
MARKERS = os.environ["LOAD_MARKERS"]
PASSWORD = os.environ.get("LOAD_PASSWORD", "improving-together-2019")

_owner_slots = itertools.cycle(PLAN["owners"])
_chair_slots = itertools.cycle(PLAN["chairs"])
_exec_slots = itertools.cycle(PLAN["executives"])
_write_lock = threading.Lock()

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = r'name="{name}" value="([^"]*)"'
NARRATIVE = re.compile(r'<textarea[^>]*name="narrative"[^>]*>(.*?)</textarea>', re.S)


class LoopbackCookieJar(RequestsCookieJar):
    """Keeps the server's Secure cookies as plain ones, so that they are sent back over
    loopback HTTP (TLS ends at the imagined proxy). requests copies the session's cookies
    into a fresh jar for each request, so a cookie policy would be lost: the flag is
    dropped as each cookie is stored instead."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def _field(page: str, name: str) -> str:
    found = re.search(HIDDEN.format(name=name), page)
    return found.group(1) if found else ""


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def page(self, url: str, name: str):
        """GET a page; a bounce to the sign-in page is a failure, not a success."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"{self.username} was sent to the sign-in page")
            elif response.status_code != 200:
                response.failure(f"status {response.status_code}")
            return response

    def on_start(self):
        host = urlparse(self.host)
        origin = f"https://{host.netloc}"
        self.client.cookies = LoopbackCookieJar()
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"}
        )
        page = self.client.get("/accounts/login/", name="sign in (form)").text
        with self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": CSRF.search(page).group(1),
                "username": self.username,
                "password": PASSWORD,
            },
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.username} could not sign in ({response.status_code})")


class Owner(Person):
    """A root cause owner posting (then editing) this sprint's update on one root cause."""

    weight = 3

    def on_start(self):
        slot = next(_owner_slots)
        self.username = slot["username"]
        self.root_cause = slot["root_cause"]
        super().on_start()

    @task(1)
    def my_root_causes(self):
        self.page("/my/root-causes/", "owner: my root causes")

    @task(4)
    def post_update(self):
        url = f"/rootcauses/{self.root_cause}/update/"
        form = self.page(url, "owner: update form")
        page = form.text
        csrf = CSRF.search(page)
        if form.status_code != 200 or csrf is None:
            return
        found = NARRATIVE.search(page)
        narrative = html.unescape(found.group(1)).strip() if found else ""
        marker = f"[load-{uuid.uuid4().hex[:12]}]"
        period = _field(page, "period")
        rag = random.choice(["on_track", "on_track", "at_risk", "off_track"])
        data = {
            "csrfmiddlewaretoken": csrf.group(1),
            "version": _field(page, "version"),
            "period": period,
            "rag": rag,
            "narrative": f"{narrative or 'Load test update.'} {marker}",
            "recovery_note": "Recovery plan agreed at the ISG." if rag == "off_track" else "",
            "forecast_date": "2019-06-28" if rag == "off_track" else "",
            "kpi_value": "",
            "evidence_description": "",
            "evidence_effective_from": "",
            "evidence_review_by": "",
        }
        with self.client.post(
            url, data, name="owner: post update", allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.startswith(
                f"/rootcauses/{self.root_cause}/#update-"
            ):
                response.failure(f"update not saved ({response.status_code} {location})")
                return
        with _write_lock, open(MARKERS, "a", encoding="utf-8") as out:
            out.write(f"{self.root_cause}\t{period}\t{marker}\n")
        self.page(location, "owner: root cause page")


class Chair(Person):
    """An ISG chair opening the current sprint (or month) page, as in the meeting."""

    weight = 1

    def on_start(self):
        slot = next(_chair_slots)
        self.username = slot["username"]
        self.sprint_page = f"/isgs/{slot['isg']}/periods/{slot['period']}/"
        super().on_start()

    @task
    def sprint(self):
        self.page(self.sprint_page, "chair: sprint page")


class Executive(Person):
    """An executive reading the programme dashboard and the KPI summary."""

    weight = 1

    def on_start(self):
        self.username = next(_exec_slots)
        super().on_start()

    @task(2)
    def dashboard(self):
        self.page(f"/programmes/{PLAN['programme']}/dashboard/", "exec: dashboard")

    @task(1)
    def kpi_summary(self):
        self.page(f"/programmes/{PLAN['programme']}/kpis/", "exec: KPI summary")
