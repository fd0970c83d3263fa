"""Closing a test client's response without closing the test's database connection.

A download (FileResponse) holds its file open until the response is closed. Closing a
response sends Django's end-of-request signal, whose `close_old_connections` drops a
connection inside a transaction — the test's own, on PostgreSQL. The test client disconnects
that hook around its own close; `close` here does the same.
"""

from django.core.signals import request_finished
from django.db import close_old_connections


def close(response) -> None:
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
