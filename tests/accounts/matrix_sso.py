"""Single sign-on's pages in the authorization matrix (tests/test_authorization_matrix.py).

The matrix runs without OIDC_ISSUER_URL: start and callback then answer 404 for everyone, as nothing of
single sign-on is active; sign-out is a POST like the ordinary logout (tests/accounts/test_sso_*.py
cover all three with a provider configured)."""

from tests.matrix_kit import Page, table

PAGES = {
    "sso:start": Page(table(others=404)),
    "sso:callback": Page(table(others=404)),
    "sso:logout": Page(table(others=405)),
}
