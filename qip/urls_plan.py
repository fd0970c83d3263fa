"""URL patterns, included from qip/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
