"""Single sign-on's pages in the authorization matrix (tests/test_authorization_matrix.py).

The matrix runs without OIDC_ISSUER_URL: start and callback then answer 404 for everyone, as nothing of
single sign-on is active (tests/accounts/test_sso_*.py cover both, and the site's logout, with a
provider configured)."""

from tests.matrix_kit import Page, table

PAGES = {
    "sso:start": Page(table(others=404)),
    "sso:callback": Page(table(others=404)),
}
