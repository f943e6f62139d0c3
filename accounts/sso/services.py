"""Which portal account a district identity signs in as.

The roster import creates the accounts; single sign-on only ever signs in to an existing one, and never
creates an account. A person is found by (issuer, sub). The first time, and only where the district has
turned OIDC_MATCH_BY_EMAIL on, the one active account holding the provider's verified email is linked;
otherwise the autonomy office links the identity in the admin. Every other case is refused with a reason
the person can act on: nobody is ever signed in as someone else.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ExternalIdentity
from core.errors import NotPermitted

ASK = gettext_lazy("Ask the autonomy office to check your portal account.")


class SignInRefused(NotPermitted):
    """The provider vouched for someone, but the portal will not sign them in; the message says why."""

    code = "sign_in_refused"


def _email_of(claims: dict) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        return ""
    # A provider that says the address is unverified gives no proof the person owns it.
    if claims.get("email_verified") is False:
        return ""
    return email.strip()


def _refuse_inactive(user) -> None:
    if not user.is_active:
        raise SignInRefused(" ".join([_("Your portal account is deactivated, so you cannot sign in."), str(ASK)]))


def _email_held_by_another(user, email: str) -> bool:
    if not email or email.lower() == (user.email or "").lower():
        return False
    return get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


def _account_for_email(*, issuer: str, email: str):
    """The one active account to link on a first sign-in by email, or a refusal."""
    if not settings.OIDC_MATCH_BY_EMAIL:
        raise SignInRefused(
            _(
                "Your district account is not linked to a portal account yet. "
                "Ask the autonomy office to link it; then sign in again."
            )
        )
    if not email:
        refusal = _("Your district account did not give the portal a verified email address.")
        raise SignInRefused(f"{refusal} {ASK}")
    holders = list(get_user_model().objects.filter(email__iexact=email))
    active = [user for user in holders if user.is_active]
    if not holders:
        raise SignInRefused(
            " ".join([_("No portal account has the email address %(email)s.") % {"email": email}, str(ASK)])
        )
    if not active:
        _refuse_inactive(holders[0])
    if len(active) > 1:
        raise SignInRefused(
            _("More than one portal account has the email address %(email)s, so the portal cannot tell which is yours.")
            % {"email": email}
            + f" {ASK}"
        )
    user = active[0]
    if ExternalIdentity.objects.filter(user=user, issuer=issuer).exists():
        raise SignInRefused(
            _(
                "Your portal account is linked to a different district identity than the one you signed in "
                "with. The portal does not re-link accounts on its own."
            )
            + f" {ASK}"
        )
    return user


def external_identity_sign_in(*, issuer: str, claims: dict):
    """The account the verified ID token `claims` sign in as; raises SignInRefused otherwise.

    Takes the identity's row lock so that two first sign-ins at once link one identity, not two.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise SignInRefused(" ".join([_("Your district account did not identify you to the portal."), str(ASK)]))
    email = _email_of(claims)
    with transaction.atomic():
        identity = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is None:
            user = _account_for_email(issuer=issuer, email=email)
            try:
                with transaction.atomic():
                    identity = ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
            except IntegrityError:
                refusal = _("Your district account was being linked at the same moment.")
                raise SignInRefused(f"{refusal} {ASK}") from None
        user = identity.user
        _refuse_inactive(user)
        if _email_held_by_another(user, email):
            raise SignInRefused(
                _("Your district account's email address %(email)s belongs to another portal account.")
                % {"email": email}
                + f" {ASK}"
            )
        identity.last_sign_in_at = timezone.now()
        identity.save(update_fields=["last_sign_in_at"])
    return user


def external_identity_link(*, user, issuer: str, subject: str, replace: bool = False) -> ExternalIdentity:
    """The autonomy office links a district identity to an account by hand (where OIDC_MATCH_BY_EMAIL is
    off, or to settle a refusal). Replacing an account's subject is an explicit choice, never a default."""
    issuer, subject = issuer.rstrip("/"), subject.strip()
    if not issuer or not subject:
        raise SignInRefused("Give both the issuer and the subject (the provider's `sub` claim).")
    with transaction.atomic():
        taken = ExternalIdentity.objects.select_for_update().filter(issuer=issuer, subject=subject).first()
        if taken is not None and taken.user_id != user.pk:
            raise SignInRefused(f"That district identity is already linked to the account “{taken.user}”.")
        if taken is not None:
            return taken
        current = ExternalIdentity.objects.select_for_update().filter(user=user, issuer=issuer).first()
        if current is not None and not replace:
            raise SignInRefused(
                f"The account “{user}” is already linked to the subject “{current.subject}” at this issuer; "
                "replace it explicitly if the person's identity at the provider has changed."
            )
        if current is not None:
            current.delete()
        return ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
