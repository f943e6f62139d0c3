"""The ways the test provider can misbehave, switched by a file in its data directory.

The provider reads the file on every request, so a test switches the mode between two sign-ins without
restarting the process. The code lives here, in the tests, and nowhere in the product.
"""

from pathlib import Path

NORMAL = "normal"
WRONG_AUDIENCE = "wrong_audience"  # the ID token names another client as its audience
EXPIRED = "expired"  # the ID token expired an hour ago
WRONG_ISSUER = "wrong_issuer"  # the ID token claims another issuer
BAD_SIGNATURE = "bad_signature"  # one character of the signature changed after signing
WRONG_NONCE = "wrong_nonce"  # the ID token carries a nonce the portal never sent
MALFORMED_DISCOVERY = "malformed_discovery"  # the discovery document is an HTML page
MODES = {NORMAL, WRONG_AUDIENCE, EXPIRED, WRONG_ISSUER, BAD_SIGNATURE, WRONG_NONCE, MALFORMED_DISCOVERY}

MODE_FILE = "mode"


def mode_read(directory: Path) -> str:
    try:
        return (directory / MODE_FILE).read_text().strip() or NORMAL
    except FileNotFoundError:
        return NORMAL


def mode_write(directory: Path, mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown provider mode {mode!r}")
    (directory / MODE_FILE).write_text(mode)
