"""Email for a developer's machine: printed to standard error, so that commands' own output (such as
evaluate_benchmarks' summary) stays clean on standard output."""

import sys

from django.core.mail.backends.console import EmailBackend


class StderrEmailBackend(EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(*args, **kwargs)
