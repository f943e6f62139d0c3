"""Running wrk with one of the Lua scripts beside this file, and reading the line it prints."""

import json
import re
import subprocess

from benchmarks.server import BENCH_DIR, RUN_DIR


def wrk_run(
    url: str,
    *,
    cookie: str | None,
    threads: int,
    connections: int,
    seconds: int,
    script: str,
    marker: str,
    save_as: str | None = None,
    headers: tuple[tuple[str, str], ...] = (),
) -> dict:
    """The JSON object the script prints after `marker`; wrk's full output goes to .run/ if save_as.
    `headers` are sent with every request beside the cookie (e.g. Accept-Encoding)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += ["-s", str(BENCH_DIR / script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    for name, value in headers:
        command += ["-H", f"{name}: {value}"]
    run = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    if save_as:
        slug = re.sub(r"[^a-z0-9]+", "-", save_as.lower()).strip("-")
        shown = " ".join(command).replace(cookie or "\0", "sessionid=…")
        (RUN_DIR / f"wrk-{slug}.txt").write_text(f"{shown} {url}\n\n{run.stdout}{run.stderr}")
    found = re.search(rf"^{marker} (\{{.*\}})$", run.stdout, re.MULTILINE)
    if run.returncode != 0 or not found:
        raise SystemExit(f"wrk failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    return json.loads(found.group(1))
