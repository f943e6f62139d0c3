"""The sample OneRoster file sets (tests/schools/oneroster/) and small ways to change them for a test."""

import io
import zipfile
from pathlib import Path

from schools.roster.parse import roster_files_read

SAMPLES = Path(__file__).parent / "oneroster"


def sample(version: str = "1.1") -> dict[str, bytes]:
    return roster_files_read(path=SAMPLES / f"v{version.replace('.', '_')}")


def text(files: dict[str, bytes], name: str) -> str:
    return files[name].decode("utf-8-sig")


def replaced(files: dict[str, bytes], name: str, old: str, new: str) -> dict[str, bytes]:
    """The set with one file's text changed; the change must be there to make."""
    body = text(files, name)
    assert old in body, f"{old!r} is not in {name}"
    return {**files, name: body.replace(old, new).encode()}


def without_line(files: dict[str, bytes], name: str, starting: str) -> dict[str, bytes]:
    lines = text(files, name).splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(starting)]
    assert len(kept) == len(lines) - 1, f"no single line of {name} starts with {starting!r}"
    return {**files, name: "".join(kept).encode()}


def with_line(files: dict[str, bytes], name: str, line: str) -> dict[str, bytes]:
    return {**files, name: (text(files, name).rstrip("\n") + "\n" + line + "\n").encode()}


def zipped(files: dict[str, bytes], folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(folder + name, data)
    return buffer.getvalue()
