"""What a signature binds: the signer, proven by their password, and the content of one contract version,
fixed by a SHA-256 of its canonical serialization.

The content of a version (`contract_content`) is what the school and the district agree to: the school,
the version and its term, the summary and the reason for the version, the decisions it covers (each
grant's autonomy and model), the benchmarks and the intervention rules, each with every field that
decides what is measured and what happens. It leaves out what changes without changing the agreement:
ids, timestamps, the status, the signatures themselves and a grant's later life (revoked, expired).
Central office's commitments are part of it too, under "commitments", present only when the version has
any: a version signed before commitments existed hashes exactly as it did, so its signature still checks.
A commitment's tracking (status, delivery) is its later life, not the agreement, and is left out.

The serialization is JSON with keys sorted, no whitespace, ASCII only; numbers are decimal strings
without trailing zeros ("45", not "45.0000"); lists are ordered by their stable key (benchmark and rule
keys, autonomy codes), never by database order. `CONTENT_FORMAT` names this layout and is part of the
hashed text: a change to the layout is a new format name, so an old hash is never compared with a new
layout by mistake.
"""

import datetime
import hashlib
import ipaddress
import json
from dataclasses import dataclass
from decimal import Decimal

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.throttling import BaseThrottle

from contracts.models import COMMITMENT_TERMS, PerformanceContract
from core.errors import ApplicationError

CONTENT_FORMAT = "sgs-contract-content/1"


class SigningLocked(ApplicationError):
    """Too many wrong passwords from this address: the login throttle's lockout applies to signing too."""

    http_status = 429
    code = "throttled"


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def contract_content(contract: PerformanceContract) -> dict:
    """The version's content as plain data (see the module's docstring). Reads the benchmarks (with their
    metric and bound autonomy), the rules (with their benchmark) and the grants (with their autonomy):
    prefetched by contracts.selectors.contract_get_for_user, or three queries otherwise."""
    benchmarks = sorted(contract.benchmarks.all(), key=lambda b: b.key)
    rules = sorted(contract.rules.all(), key=lambda r: r.key)
    grants = sorted(contract.grants.all(), key=lambda g: (g.autonomy.code, g.model))
    content = {
        "format": CONTENT_FORMAT,
        "school": contract.school.code,
        "lineage": str(contract.lineage),
        "version": contract.version,
        "term": [contract.term_start.label, contract.term_end.label],
        "summary": contract.summary,
        "amendment_reason": contract.amendment_reason,
        "grants": [{"autonomy": g.autonomy.code, "model": g.model} for g in grants],
        "benchmarks": [
            {
                "key": b.key,
                "position": b.position,
                "metric": b.metric.code,
                "kind": b.kind,
                "comparator": b.comparator,
                "periods": b.periods,
                "target": _number(b.target),
                "baseline": _number(b.baseline),
                "baseline_period": b.baseline_period,
                "exceeds_margin": _number(b.exceeds_margin),
                "far_below_margin": _number(b.far_below_margin),
                "new_school_target": _number(b.new_school_target),
                "binding_autonomy": b.binding_grant.autonomy.code if b.binding_grant_id else None,
            }
            for b in benchmarks
        ],
        "rules": [
            {
                "key": r.key,
                "position": r.position,
                "condition": r.condition,
                "count": r.count,
                "level": r.level,
                "deadline_days": r.deadline_days,
                "remedy": r.remedy,
                "provision": r.provision,
                "benchmark": r.benchmark.key if r.benchmark_id else None,
            }
            for r in rules
        ],
    }
    commitments = sorted(contract.commitments.all(), key=lambda c: c.key)
    if commitments:
        content["commitments"] = [
            {
                "key": c.key,
                "position": c.position,
                **{name: _plain(getattr(c, name)) for name in COMMITMENT_TERMS},
                "autonomy": c.autonomy.code if c.autonomy_id else None,
            }
            for c in commitments
        ]
    return content


def _plain(value):
    """A commitment's term as JSON holds it: dates as ISO text."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def contract_content_serialized(contract: PerformanceContract) -> bytes:
    return json.dumps(contract_content(contract), sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def contract_content_sha256(contract: PerformanceContract) -> str:
    """The hex SHA-256 a signature records, and the contract page recomputes to check it."""
    return hashlib.sha256(contract_content_serialized(contract)).hexdigest()


def contract_content_for_hashing(contract_id: int) -> PerformanceContract:
    """The version re-read with the parts its content names, for the hash taken under the signing lock."""
    return (
        PerformanceContract.objects.select_related("school", "term_start", "term_end")
        .prefetch_related("benchmarks__metric", "benchmarks__binding_grant__autonomy", "rules__benchmark")
        .prefetch_related("grants__autonomy", "commitments__autonomy")
        .get(pk=contract_id)
    )


def signer_password_check(*, user: AbstractBaseUser, password: str | None, request: HttpRequest | None) -> None:
    """The person signing proves it is them: their password, checked with check_password.

    A wrong password counts as a failed login for django-axes (the login throttle: a username from one
    address), and a locked-out person cannot sign until the cool-off ends. Called before the signing
    transaction, so that the failure axes records is not rolled back with the refused signature.
    """
    credentials = {"username": user.get_username()}
    throttled = settings.AXES_ENABLED and request is not None
    if throttled and AxesProxyHandler.is_locked(request, credentials):
        raise SigningLocked(_locked_message(request), fields={"password": [_locked_message(request)]})
    if password and user.check_password(password):
        return
    if password:
        message = _("That is not your password. Enter the password you sign in with.")
    else:
        message = _("Enter your password.")
    if throttled and password:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            # Axes would answer this request with its login lockout page; the refusal says it instead,
            # in the page's form or the API's error shape.
            request.axes_locked_out = False
            message = _("That is not your password. %(locked)s") % {"locked": _locked_message(request)}
            raise SigningLocked(message, fields={"password": [message]})
    raise ApplicationError(message, fields={"password": [message]})


def _locked_message(request) -> str:
    cool_off = get_cool_off(request) or datetime.timedelta(minutes=15)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    return ngettext(
        "Too many wrong passwords: signing and signing in are locked for %(minutes)s minute.",
        "Too many wrong passwords: signing and signing in are locked for %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the API's per-address throttle finds it (REST_FRAMEWORK["NUM_PROXIES"]: the
    connection's address, or the address that many trusted proxies report); None if it is not one."""
    address = BaseThrottle().get_ident(request) or ""
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


@dataclass(frozen=True)
class SignatureCheck:
    """Whether a recorded signature's hash still matches the version's content."""

    recorded: str  # the hash recorded at signing; "" for a signature from before hashes were kept
    current: str

    @property
    def matches(self) -> bool:
        return bool(self.recorded) and self.recorded == self.current


def contract_signature_checks(contract: PerformanceContract) -> dict[str, SignatureCheck]:
    """Each signature the version carries ("principal", "district"), compared with its content now. One
    hash, and no query when the parts are prefetched."""
    signatures = {
        "principal": (contract.signed_at, contract.signed_content_sha256),
        "district": (contract.countersigned_at, contract.countersigned_content_sha256),
    }
    if not any(at for at, _recorded in signatures.values()):
        return {}
    current = contract_content_sha256(contract)
    return {who: SignatureCheck(recorded, current) for who, (at, recorded) in signatures.items() if at}
