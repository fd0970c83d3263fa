from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from cqc.loader import load_reference


class Command(BaseCommand):
    help = "Load or refresh CQC reference data from cqc/data/cqc.json (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_reference(apps.get_model)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
