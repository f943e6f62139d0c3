"""Checks that a page is in Spanish, shared by every app's translation tests.

Two checks, each able to fail:
- `assert_catalog_complete(app)`: every msgid of the app's Spanish catalog has a translation, and the compiled
  catalog (django.mo) matches the source (django.po).
- `english_left(path, as_user=…)`: the page rendered in English and in Spanish; a piece of visible text that
  is the same in both and reads as English (it has two or more common English words) was not translated.
  Data (a school's name, a note someone typed) is the same in both languages too: pass it as `data` so it is
  left out, and keep test data free of common English words where you can.
"""

import gettext
import re
from html import unescape
from pathlib import Path

from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = "\x04"  # between a context and its msgid, in gettext's keys
PLACEHOLDER = re.compile(r"%\(\w+\)s")
# Words that mark a sentence as English; chosen so that none is also a common Spanish word.
ENGLISH_WORDS = frozenset(
    "the of and to is are for your you this that with from by on or not has have was were be been will "
    "what who which when there their it its an at as all any no yet only into than then they we our "
    "school schools request requests grant grants contract page here how can may must should".split()
)


def po_entries(app: str) -> dict[str, str]:
    """msgid → msgstr (the singular form) from the app's Spanish .po source, continued lines joined as gettext
    joins them; the header (the empty msgid) left out. A string with a context is keyed as gettext keys it,
    "context\x04msgid"."""
    entries, fields, key = {}, {}, None
    for line in [*(ROOT / app / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text("utf-8").splitlines(), ""]:
        keyword = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[0\]|msgstr\[\d+\]) "(.*)"$', line)
        if keyword:
            key = keyword[1].replace("[0]", "")
            fields[key] = keyword[2]
        elif line.startswith('"') and key:
            fields[key] += line[1:-1]
        elif not line.strip() and fields:
            if fields.get("msgid") and "fuzzy" not in fields:
                msgid = unescaped(fields["msgid"])
                key = f"{unescaped(fields['msgctxt'])}{CONTEXT}{msgid}" if "msgctxt" in fields else msgid
                entries[key] = unescaped(fields.get("msgstr", ""))
            fields, key = {}, None
        elif line.startswith("#, fuzzy") and not fields:
            fields["fuzzy"] = ""
    return entries


def unescaped(text: str) -> str:
    """A .po string as gettext reads it (its C escapes undone)."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def assert_catalog_complete(app: str, *, at_least: int = 1) -> None:
    entries = po_entries(app)
    assert len(entries) >= at_least, f"{app}: only {len(entries)} strings in the Spanish catalog"
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert not untranslated, f"{app}: untranslated {untranslated[:10]}"
    compiled = gettext.GNUTranslations((ROOT / app / "locale" / "es" / "LC_MESSAGES" / "django.mo").open("rb"))
    stale = [msgid for msgid, msgstr in entries.items() if compiled_text(compiled, msgid) != msgstr]
    assert not stale, f"{app}: django.mo is older than django.po (compile the messages again): {stale[:5]}"


def compiled_text(compiled: gettext.GNUTranslations, key: str) -> str:
    if CONTEXT in key:
        context, msgid = key.split(CONTEXT, 1)
        return compiled.pgettext(context, msgid)
    return compiled.gettext(key)


def text_pieces(html: str) -> list[str]:
    """The visible text of a page, one piece per text node, plus the texts people read without seeing the
    markup (labels given as aria-label, placeholders, titles, the value of a button)."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    attributes = re.findall(r'\s(?:aria-label|placeholder|title|alt)="([^"]*)"', html)
    buttons = re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', html)
    nodes = re.split(r"<[^>]+>", html)
    pieces = [re.sub(r"\s+", " ", unescape(piece)).strip() for piece in [*nodes, *attributes, *buttons]]
    return [piece for piece in pieces if piece]


def reads_as_english(piece: str) -> bool:
    words = re.findall(r"[a-z]+", piece.lower())
    return sum(word in ENGLISH_WORDS for word in words) >= 2


def english_left(path: str, *, as_user=None, data: tuple[str, ...] = ()) -> list[str]:
    """The pieces of text of `path` that are English on the Spanish page (see the module's docstring)."""
    pages = {}
    try:
        for language in ("en", "es"):
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            if as_user is not None:
                client.force_login(as_user, backend="django.contrib.auth.backends.ModelBackend")
            response = client.get(path)
            assert response.status_code in (200, 400), f"{path} answered {response.status_code} in {language}"
            pages[language] = response.content.decode()
    finally:
        translation.deactivate()  # the middleware left the page's language on for this thread
    assert '<html lang="es"' in pages["es"], f"{path} is not marked as Spanish"
    english = set(text_pieces(pages["en"]))
    return sorted(
        piece
        for piece in text_pieces(pages["es"])
        if piece in english and reads_as_english(piece) and not any(value in piece for value in data)
    )
