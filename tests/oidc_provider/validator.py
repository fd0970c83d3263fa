from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailClaimsValidator(OAuth2Validator):
    """Put the person's email and name in the ID token and userinfo, as Entra ID does."""

    def get_additional_claims(self, request):
        return {"email": request.user.email, "name": request.user.get_full_name()}
