"""Private file storage: STORAGES["private"], never under a public URL.

Files there are served only by permission-checked views. The lookup is lazy (as Django's
default_storage is), so a later change of STORAGES — the test suite's temporary folder —
is honoured. rootcauses/models/evidence.py has the same proxy for evidence files.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


_private = PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    """For FileField(storage=private_storage)."""
    return _private
