import logging

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from core.middleware import RequestIdLogFilter, RequestIdMiddleware

pytestmark = pytest.mark.django_db


def test_each_response_carries_a_request_id(client):
    first = client.get("/accounts/login/")
    second = client.get("/accounts/login/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_proxys_request_id_is_kept_but_junk_is_replaced(client):
    kept = client.get("/accounts/login/", headers={"X-Request-ID": "abc123-from-proxy"})
    assert kept["X-Request-ID"] == "abc123-from-proxy"
    replaced = client.get("/accounts/login/", headers={"X-Request-ID": "<script>"})
    assert replaced["X-Request-ID"] != "<script>"


def test_log_records_inside_a_request_carry_its_id():
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect()
    handler.addFilter(RequestIdLogFilter())
    log = logging.getLogger("qip.test")
    log.addHandler(handler)
    try:

        def view(request):
            log.warning("inside")
            return HttpResponse("ok")

        response = RequestIdMiddleware(view)(
            RequestFactory().get("/", HTTP_X_REQUEST_ID="req-00000001")
        )
        log.warning("outside")
    finally:
        log.removeHandler(handler)
    assert response["X-Request-ID"] == "req-00000001"
    assert [r.request_id for r in records] == ["req-00000001", "-"]


def _make_database_refuse_writes():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET default_transaction_read_only = on")
            cursor.execute("SET transaction_read_only = on")
        else:
            cursor.execute("PRAGMA query_only = ON")


def _allow_writes_again():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ROLLBACK")
            cursor.execute("SET default_transaction_read_only = off")
        else:
            cursor.execute("PRAGMA query_only = OFF")


@pytest.mark.django_db(transaction=True)
def test_a_refused_write_shows_a_friendly_page_and_keeps_what_was_typed(client, django_user_model):
    django_user_model.objects.create_user("ward.sister", password="correct-horse-battery-staple")
    _make_database_refuse_writes()
    try:
        response = client.post(
            "/accounts/login/",
            {"username": "ward.sister", "password": "correct-horse-battery-staple"},
        )
    finally:
        _allow_writes_again()
    assert response.status_code == 503
    body = response.content.decode()
    assert "Your change was not saved" in body
    assert "ward.sister" in body  # what they typed comes back
    assert "correct-horse-battery-staple" not in body  # but never a password
    assert response["X-Request-ID"] in body
