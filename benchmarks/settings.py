"""The project's settings, served with the benchmark's URLconf (which adds the trivial view).

Everything else — DEBUG off, cached templates, persistent connections, WhiteNoise, security
middleware — is the project's own production configuration, read from the environment.
"""

from sgs_portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
