"""/health/: is the database answering, is the broker up, is a worker listening?

For load balancers and monitoring; public (no login) and reveals nothing but states.
`?format=json` or `Accept: application/json` for machines.
"""

import dataclasses

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from health_check.base import HealthCheck
from health_check.views import HealthCheckView


@dataclasses.dataclass
class TasksInProcess(HealthCheck):
    """No broker configured (the embedded default): tasks run inside the web process."""

    def run(self) -> None:
        return None


def _checks() -> list:
    checks: list = ["health_check.checks.Database"]
    if settings.REDIS_URL:
        from redis.asyncio import Redis

        url = settings.REDIS_URL
        checks.append(
            ("health_check.contrib.redis.Redis", {"client_factory": lambda: Redis.from_url(url)})
        )
        checks.append("health_check.contrib.celery.Ping")
    else:
        checks.append(TasksInProcess)
    return checks


@method_decorator(login_not_required, name="dispatch")
class HealthView(HealthCheckView):
    def get_checks(self):
        self.checks = _checks()
        return super().get_checks()
