"""Limit/offset paging with bounds: DRF's own passes any number to the database, and a limit
or offset past what SQL can hold is a server error instead of an empty page."""

from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 10**9


class ApiPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 10_000

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)
