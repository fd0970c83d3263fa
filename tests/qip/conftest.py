import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are made with a password; hashing it properly costs about a second each."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # Still able to check passwords hashed before this fixture ran (the demo's).
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
