"""A real OpenID Connect provider for the tests: a small Django project on django-oauth-toolkit, run as its
own process on 127.0.0.1 (tests/oidc_provider/fixtures.py starts it). It can be told to misbehave (issue a
token for another audience, an expired one, one with a broken signature...) through tests/oidc_provider/modes.py,
so that the portal's refusals are proven against real tokens, not stubs."""
