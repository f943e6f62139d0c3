"""Single sign-on with the district's identity provider over OpenID Connect.

mozilla-django-oidc does the protocol (state, nonce, PKCE, code exchange, JWKS lookup); this package adds
what a district needs around it: discovery from the issuer URL, the issuer and audience checks on the ID
token, matching a person to an existing account by their stable subject, a clear page for every refusal,
and sign-out at the provider. Nothing here is active unless OIDC_ISSUER_URL is set.
"""
