from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from qip.demo import STEPS, people, plan
from qip.models import Programme

DOMAIN_APPS = ["qip", "findings", "rootcauses", "kpis", "governance", "engagement"]


class Command(BaseCommand):
    help = (
        "Build the demo trust (a programme modelled on the seed board paper) with sign-in "
        "accounts owner, chair, pmo, exec and partner. Refuses to run when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace", action="store_true", help="Delete an existing demo programme first."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo refuses to run when DEBUG is off: it creates accounts with a "
                "published password. Use it on a laptop or a demo server only."
            )
        existing = Programme.objects.filter(name="Quality Improvement Plan 2019")
        if existing.exists():
            if not options["replace"]:
                self.stdout.write(
                    "The demo programme is already loaded (use --replace to rebuild it)."
                )
                self._print_logins()
                return
            with transaction.atomic():
                for programme in existing:
                    _delete_programme(programme)
        with override_settings(QIP_TODAY=plan.DEMO_TODAY.isoformat()), transaction.atomic():
            accounts = people.sign_in_accounts()
            self._pmo_admin(accounts["pmo"])
            programme = plan.build(accounts)
            for step in STEPS:
                module_name, function_name = step.split(":")
                getattr(import_module(module_name), function_name)(
                    programme=programme, accounts=accounts
                )
            plan.sign_off(programme)
        self.stdout.write(self.style.SUCCESS(f"Built {programme} for {programme.trust_name}."))
        self._print_logins()

    def _pmo_admin(self, pmo):
        """The PMO is the power user: the Django admin with the domain models."""
        group, _ = Group.objects.get_or_create(name="PMO administrators")
        group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)
            | Permission.objects.filter(content_type__app_label="cqc", codename__startswith="view_")
            | Permission.objects.filter(
                content_type__app_label="auth",
                codename__in=["view_user", "add_user", "change_user"],
            )
        )
        pmo.is_staff = True
        pmo.save(update_fields=["is_staff"])
        pmo.groups.add(group)

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(
            f"Sign in at http://127.0.0.1:8000/ with password: {people.DEMO_PASSWORD}"
        )
        for username, (first, last, title) in people.SIGN_IN_ACCOUNTS.items():
            self.stdout.write(f"  {username:<8} {first} {last}, {title}")
        self.stdout.write(
            f"The demo replays {plan.DEMO_TODAY:%d %B %Y}: run the server with "
            f"QIP_TODAY={plan.DEMO_TODAY.isoformat()} (make demo does)."
        )


def _delete_programme(programme):
    """Remove a programme and its plan; PROTECTed links are removed bottom-up."""
    from findings.models import Finding
    from kpis.models import KPI
    from rootcauses.models import RootCause, Update

    Update.objects.filter(root_cause__programme=programme).delete()
    RootCause.objects.filter(programme=programme).delete()
    KPI.objects.filter(programme=programme).delete()
    Finding.objects.filter(programme=programme).delete()
    programme.themes.all().delete()
    programme.delete()
