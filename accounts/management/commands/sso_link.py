"""Link a district identity to a portal account: `sso_link USERNAME SUBJECT [--issuer URL] [--replace]`.

For districts that keep OIDC_MATCH_BY_EMAIL off, and to settle a refused sign-in (the refusal page's
"ask the autonomy office"). The subject is the provider's `sub` claim, shown in the provider's admin
(Entra ID: the user's object ID as the app sees it; Google: the account's numeric ID)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.sso.services import SignInRefused, external_identity_link


class Command(BaseCommand):
    help = "Link a district identity (issuer and subject) to a portal account for single sign-on."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("subject", help="The provider's `sub` claim for this person.")
        parser.add_argument("--issuer", default="", help="Default: OIDC_ISSUER_URL.")
        parser.add_argument("--replace", action="store_true", help="Replace the account's current subject.")

    def handle(self, *args, username, subject, issuer, replace, **options):
        issuer = issuer or settings.OIDC_ISSUER_URL
        if not issuer:
            raise CommandError("Single sign-on is not configured: set OIDC_ISSUER_URL or pass --issuer.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No portal account has the username “{username}”.")
        try:
            identity = external_identity_link(user=user, issuer=issuer, subject=subject, replace=replace)
        except SignInRefused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(f"linked: {identity.user} ← {identity.issuer} {identity.subject}")
