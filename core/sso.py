"""Single sign-on with the trust's identity provider (NHSmail and most trusts use Microsoft
Entra ID) over OpenID Connect, through mozilla-django-oidc.

A person signs in with their organisation account and is matched to an existing person by
email. Nobody is created by signing in: the PMO adds people (or the plan import does), so an
account from the identity provider alone gives no access. Password sign-in stays for small
trusts. SSO is on when OIDC_RP_CLIENT_ID is set.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import Http404
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


class EmailOIDCBackend(OIDCAuthenticationBackend):
    """Match the signed-in account to an active person by email, ignoring case."""

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or claims.get("preferred_username") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims):
        return bool(claims.get("email") or claims.get("preferred_username"))


class _OnlyWhenEnabled:
    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not set up on this site.")
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SignInStart(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    """Send the person to their organisation's sign-in page."""

    def __init__(self, *args, **kwargs):
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SignInCallback(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    """The identity provider sends the person back here with a code to exchange."""


class SignInView(LoginView):
    """Password sign-in, with the single sign-on button when SSO is set up."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context
