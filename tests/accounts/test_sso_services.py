"""Which account a verified district identity signs in as (accounts/sso/services.py), case by case: the
claims here stand for an ID token whose signature, issuer, audience and expiry already checked out
(tests/accounts/test_sso_round_trip.py proves those checks against the real provider)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import ExternalIdentity
from accounts.sso.services import SignInRefused, external_identity_sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://login.district.example/v2.0"
EMAIL = "grace.hopper@district.example"


def claims(sub="subject-1", email=EMAIL, **more):
    return {"iss": ISSUER, "sub": sub, "email": email, **more}


@pytest.fixture
def match_by_email(settings):
    settings.OIDC_MATCH_BY_EMAIL = True


def refused(claims_given) -> str:
    with pytest.raises(SignInRefused) as refusal:
        external_identity_sign_in(issuer=ISSUER, claims=claims_given)
    return refusal.value.message


def test_a_first_sign_in_links_the_one_active_account_with_the_email(match_by_email):
    grace = UserFactory(email=EMAIL.upper())  # emails match whatever their case
    assert external_identity_sign_in(issuer=ISSUER, claims=claims()) == grace
    assert ExternalIdentity.objects.get().subject == "subject-1"
    # The next sign-in finds the identity: the email may change at the provider.
    assert external_identity_sign_in(issuer=ISSUER, claims=claims(email="g.hopper@district.example")) == grace


def test_no_account_is_ever_created(match_by_email):
    assert "No portal account has the email address" in refused(claims())
    assert not get_user_model().objects.exists()


def test_without_email_matching_the_identity_must_be_linked_first(settings):
    UserFactory(email=EMAIL)
    assert "not linked to a portal account yet" in refused(claims())


def test_two_accounts_with_the_email_are_refused(match_by_email):
    UserFactory(email=EMAIL)
    UserFactory(email=EMAIL)
    assert "More than one portal account" in refused(claims())
    assert not ExternalIdentity.objects.exists()


def test_an_inactive_account_is_not_a_candidate(match_by_email):
    UserFactory(email=EMAIL, is_active=False)
    assert "deactivated" in refused(claims())
    # One inactive and one active: the active one is the account.
    active = UserFactory(email=EMAIL)
    assert external_identity_sign_in(issuer=ISSUER, claims=claims()) == active


def test_an_unverified_or_missing_email_does_not_link(match_by_email):
    UserFactory(email=EMAIL)
    assert "verified email address" in refused(claims(email_verified=False))
    assert "verified email address" in refused(claims(email=None))


def test_a_subject_that_changes_for_an_account_is_never_re_linked(match_by_email):
    grace = UserFactory(email=EMAIL)
    ExternalIdentity.objects.create(user=grace, issuer=ISSUER, subject="subject-1")
    assert "linked to a different district identity" in refused(claims(sub="subject-2"))
    assert list(ExternalIdentity.objects.values_list("subject", flat=True)) == ["subject-1"]


def test_the_same_subject_at_another_issuer_is_another_identity(match_by_email):
    grace = UserFactory(email=EMAIL)
    ExternalIdentity.objects.create(user=grace, issuer="https://accounts.google.com", subject="subject-1")
    assert external_identity_sign_in(issuer=ISSUER, claims=claims()) == grace
    assert ExternalIdentity.objects.count() == 2


def test_an_email_that_belongs_to_another_account_is_refused():
    grace = UserFactory(email=EMAIL)
    UserFactory(email="alan.turing@district.example")
    ExternalIdentity.objects.create(user=grace, issuer=ISSUER, subject="subject-1")
    assert "belongs to another portal account" in refused(claims(email="alan.turing@district.example"))


def test_a_token_without_a_subject_is_refused(match_by_email):
    UserFactory(email=EMAIL)
    assert "did not identify you" in refused(claims(sub=""))


def test_the_office_links_an_identity_by_hand_and_replaces_it_only_when_told():
    grace, alan = UserFactory(username="grace"), UserFactory(username="alan")
    call_command("sso_link", "grace", "subject-1", issuer=ISSUER + "/", stdout=StringIO())
    assert external_identity_sign_in(issuer=ISSUER, claims=claims()) == grace

    with pytest.raises(CommandError, match="already linked to the account “grace”"):
        call_command("sso_link", "alan", "subject-1", issuer=ISSUER)
    with pytest.raises(CommandError, match="replace it explicitly"):
        call_command("sso_link", "grace", "subject-2", issuer=ISSUER)
    call_command("sso_link", "grace", "subject-2", issuer=ISSUER, replace=True, stdout=StringIO())
    assert list(ExternalIdentity.objects.values_list("user", "subject")) == [(grace.pk, "subject-2")]
    assert not alan.external_identities.exists()


def test_linking_needs_an_issuer_and_an_existing_account(settings):
    settings.OIDC_ISSUER_URL = ""
    with pytest.raises(CommandError, match="not configured"):
        call_command("sso_link", "grace", "subject-1")
    with pytest.raises(CommandError, match="No portal account"):
        call_command("sso_link", "nobody", "subject-1", issuer=ISSUER)
