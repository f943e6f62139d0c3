import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

TOKEN_PREFIX = "sgs_"


def token_digest(raw: str) -> str:
    """The stored form of a token. A token is 256 random bits, so a plain SHA-256 is enough: there is
    nothing to guess, and a stolen table gives no usable token."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token: acts as its user, through the same policies as the user's pages.

    Only the digest is stored; the token is shown once, when it is created.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, help_text="What the token is for, e.g. “nightly HR export”.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False, help_text="The token's first characters, to tell it apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], condition=Q(revoked_at__isnull=True), name="api_token_live_name_unique"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class ExternalIdentity(models.Model):
    """A portal account's identity at the district's identity provider: the issuer and its `sub` claim.

    Users are matched by this pair, never by email after the first sign-in: an email can be reassigned at
    the provider, a subject cannot. One subject per account and issuer, so a subject that changes for an
    account is refused rather than linked a second time.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.URLField(max_length=300)
    subject = models.CharField(max_length=255, help_text="The provider's stable `sub` claim for this person.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "district sign-in identity"
        verbose_name_plural = "district sign-in identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_subject_unique"),
            models.UniqueConstraint(fields=["user", "issuer"], name="external_identity_one_per_issuer"),
        ]

    def __str__(self):
        return f"{self.user} at {self.issuer}"


class LanguagePreference(models.Model):
    """The language a person chose for the portal, kept on the account so that it follows them to another
    browser or device: it is put back in the language cookie when they sign in (accounts.language)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="language_preference"
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    chosen_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user}: {self.language}"
