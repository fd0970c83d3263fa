"""Prepare the test identity provider: its database, a person and our site as a client.

python -m tests.oidc_provider.setup_provider <redirect_uri> <client_id> <client_secret>
"""

import sys

import django


def main() -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    redirect_uri, client_id, client_secret = sys.argv[1:4]
    call_command("migrate", verbosity=0)
    User = get_user_model()
    for username, email in (
        ("amara@nhs.net", "Amara.Okafor@nhs.net"),
        ("stranger@nhs.net", "stranger@nhs.net"),
    ):
        User.objects.create_user(
            username=username, email=email, password="provider-pass-2024", first_name="Test"
        )
    Application.objects.create(
        name="QIP Tracker",
        client_id=client_id,
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main()
