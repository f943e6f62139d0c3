"""Every HTML form of the site, posted with random and hostile values as every role: never a 500, and a
refusal (4xx) changes nothing in the database. The pages' twin of the API's Schemathesis run.

For each role the test opens every page of tests/test_authorization_matrix.py's PAGES (and the steps of a
draft request, the draft contract, the admin's login), reads each `<form method="post">` the page shows
that role, and posts to its action: each field in turn replaced by a hostile value (other scripts'
digits, NUL, a megabyte, negative and huge numbers, lists) or left out, management-form counts
tampered with, random mixes, and junk fields. The POST-only URLs of PAGES are posted as well, with the
same values, whether or not the role is shown a form for them. Random choices use a fixed seed, so a
failure reproduces; the number of cases tried is printed (`-rA` shows it per role).
"""

import random
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from contracts.models import ContractTemplate
from contracts.services import contract_create_from_template
from schools.models import SchoolYear
from tests.autonomy.factories import complete_request
from tests.test_authorization_matrix import ANON, APP_URLS, PAGES, ROLES
from tests.world import A, P, world_for_module

SEED = 20260613
HOSTILE = [
    "²",
    "٣",
    "３２",
    "-1",
    "0",
    "99999999999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "\x00",
    "a\x00b",
    "",
    " ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "2026-13-45",
    "2026-28",
    "🙂" * 50,
    "\r\n\r",
    "x" * 5000,
]
MEGABYTE = "x" * 1_000_000
COUNTS = ["-1", "-1000", "1000000000", "99999999999999999999", "²", "", "1.5"]
FILES = [
    b"school,metric,period,value\rS1,ela_proficiency,2025-26,1\r",
    b"school,metric,period,value\nS1,ela\rproficiency,2025-26,1\n",
    b"school,metric,period,value\nS1,ela_proficiency,2025-26," + b"9" * 140_000 + b"\n",
    b"\xff\xfe\x00\x00not utf-8",
    b"",
    b"school,metric,period,value\n\x00,\x00,\x00,\x00\n",
]
# Random extra cases per form, beyond one hostile value per field; fewer for the roles that follow the first.
RANDOM_CASES = 6
EXTRA_ROLE_CASES = 8
HOSTILE_PER_FIELD = 5  # besides "²", always tried
# Project tables whose rows and text are compared around every refusal.
PROJECT_APPS = (
    "core",
    "schools",
    "metrics",
    "autonomy",
    "budgeting",
    "contracts",
    "accountability",
    "support",
    "reports",
    "impact",
    "accounts",
)


# --- reading the forms of a page --------------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → the values the page offers
    kinds: dict[str, str] = field(default_factory=dict)  # name → input type, "textarea" or "select"


class FormReader(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url, self.forms, self._form, self._select, self._textarea = url, [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = Form(action=urlsplit(attrs.get("action") or self.url).path or self.url)
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image") and attrs["name"] != "intent":
                return
            self._add(attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else ""), kind)
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._add(self._textarea, "", "textarea")
        elif tag == "select":
            self._select = attrs["name"]
            self._form.kinds[self._select] = "select"
            self._form.fields.setdefault(self._select, [])
        elif tag == "option" and self._select:
            self._form.fields[self._select].append(attrs.get("value") or "")
        elif tag == "button":
            self._add(attrs["name"], attrs.get("value") or "", "button")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _add(self, name, value, kind):
        self._form.fields.setdefault(name, []).append(value)
        self._form.kinds.setdefault(name, kind)


def forms_on(url: str, html: str) -> list[Form]:
    reader = FormReader(url)
    reader.feed(html)
    return reader.forms


# --- what the database holds ------------------------------------------------------------------------


def _signature_sql() -> str:
    """One query: each project table's row count and, per text, number and date column, a sum that
    moves when a value changes (text lengths, numbers, how many dates are set)."""
    parts = []
    quote = connection.ops.quote_name
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or not model._meta.managed:
            continue
        table = quote(model._meta.db_table)
        columns = ["COUNT(*)"]  # each cast to text and joined: one column a table, as UNION needs
        for model_field in model._meta.concrete_fields:
            column = quote(model_field.column)
            if isinstance(model_field, (models.CharField, models.TextField)):
                columns.append(f"SUM(LENGTH({column}))")
            elif isinstance(model_field, (models.DecimalField, models.IntegerField, models.FloatField)):
                columns.append(f"SUM({column})")
            elif isinstance(model_field, models.BooleanField):
                columns.append(f"SUM(CASE WHEN {column} THEN 1 ELSE 0 END)")
            elif isinstance(model_field, (models.DateField, models.ForeignKey)):
                columns.append(f"COUNT({column})")
        joined = " || ',' || ".join(f"CAST(COALESCE({column}, 0) AS TEXT)" for column in columns)
        parts.append(f"SELECT '{model._meta.label}', {joined} FROM {table}")
    return " UNION ALL ".join(parts)


def snapshot(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def writes_so_far() -> int | None:
    """On PostgreSQL, how many rows this transaction (the test's) has inserted, updated or deleted, rolled
    back savepoints included: when a refusal leaves it where it was, nothing changed, and the snapshot of
    every project table (the costly part of each post) is skipped. None elsewhere: always take the snapshot."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")
        return int(cursor.fetchone()[0])


# --- the district and the pages to read -------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_for_module(django_db_blocker) as built:
        users = built["users"]
        built["draft"] = complete_request(principal=users[P], school=built["own"], call=built["fresh_call"])
        years = list(SchoolYear.objects.order_by("start_date"))
        built["draft_contract"] = contract_create_from_template(
            actor=users[A],
            school=built["other"],
            template=ContractTemplate.objects.get(),
            term_start=years[0],
            term_end=years[-1],
        )
        yield built


def page_urls(world) -> list[str]:
    urls = [reverse("admin:login")]
    for name in APP_URLS:
        page = PAGES[name]
        if page.method == "get":
            try:
                urls.append(reverse(name, kwargs=page.kwargs(world, True) if page.kwargs else None))
            except Exception:  # a page whose object the world lacks (one made on demand)
                continue
    draft = world["draft"].pk
    urls += [reverse("autonomy:request_edit", args=[draft, step]) for step in ("autonomies", "reasons", "plan")]
    urls += [reverse("autonomy:request_edit", args=[draft, "outcomes"])]
    urls += [reverse("contracts:contract_edit", args=[world["draft_contract"].pk])]
    return urls


def post_only_forms(world) -> list[Form]:
    forms = []
    for name in APP_URLS:
        page = PAGES[name]
        if page.method != "post" or name == "accountability:eligibility_invite":  # builds its object on demand
            continue
        url = reverse(name, kwargs=page.kwargs(world, True) if page.kwargs else None)
        data = {
            key: [str(world["own"].pk) if value == "own-or-other" else str(value)]
            for key, value in (page.data or {}).items()
        }
        forms.append(Form(action=url, fields=data, kinds=dict.fromkeys(data, "text")))
    return forms


# --- the cases --------------------------------------------------------------------------------------


def _is_count(name: str) -> bool:
    return name.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS"))


def _valid(form: Form, name: str, rng: random.Random):
    values = [v for v in form.fields[name] if v] or form.fields[name] or [""]
    if form.kinds.get(name) == "file":
        return SimpleUploadedFile("scores.csv", b"school,metric,period,value\n", content_type="text/csv")
    return rng.choice(values)


def _hostile(form: Form, name: str, rng: random.Random):
    if form.kinds.get(name) == "file":
        return SimpleUploadedFile(rng.choice(["a.csv", "a.txt", "a.exe", "\x00.csv"]), rng.choice(FILES))
    pool = COUNTS if _is_count(name) else HOSTILE
    value = rng.choice(pool)
    if rng.random() < 0.15:  # the same field sent twice, a good value and a bad one
        return [_valid(form, name, rng), value]
    return value


def cases(form: Form, rng: random.Random, *, thorough: bool):
    """(description, data) pairs for one form."""
    names = list(form.fields)
    baseline = {name: _valid(form, name, rng) for name in names}
    if thorough:
        for name in names:
            values = (
                (COUNTS if _is_count(name) else ["²", *rng.sample(HOSTILE[1:], HOSTILE_PER_FIELD)])
                if form.kinds.get(name) != "file"
                else []
            )
            for value in values:
                yield f"{name}={value[:20]!r}", {**baseline, name: value}
            if form.kinds.get(name) == "file":
                for content in FILES:
                    yield f"{name}=file {content[:20]!r}", {**baseline, name: SimpleUploadedFile("a.csv", content)}
            yield f"without {name}", {key: value for key, value in baseline.items() if key != name}
        text = [name for name in names if form.kinds.get(name) in ("text", "textarea", "hidden", "email", "search")]
        if text:
            yield "a megabyte in each text field", {**baseline, **dict.fromkeys(text, MEGABYTE)}
        yield "nothing at all", {}
        counts = [name for name in names if _is_count(name)]
        if counts:
            yield "no management form", {k: v for k, v in baseline.items() if not _is_count(k)}
    for number in range(RANDOM_CASES if thorough else EXTRA_ROLE_CASES):
        data = {
            name: _hostile(form, name, rng) if rng.random() < 0.5 else _valid(form, name, rng)
            for name in names
            if rng.random() < 0.9
        }
        if rng.random() < 0.3:
            data[rng.choice(["id", "pk", "school", "status", "user", "is_superuser", "x" * 300])] = rng.choice(HOSTILE)
        yield f"random #{number}", data


def _fresh(data):
    """Uploaded files are read once: each post gets its own."""
    return {
        key: SimpleUploadedFile(value.name, value.read() if not value.seek(0) else b"")
        if isinstance(value, SimpleUploadedFile)
        else value
        for key, value in data.items()
    }


TRIED = {"cases": 0, "forms": 0, "seconds": 0.0}


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    line = (
        f"form fuzz: {TRIED['cases']} posts to {TRIED['forms']} forms in {TRIED['seconds']:.0f} s, "
        "no 500, no change on refusal"
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)
    print(line)


@pytest.mark.parametrize("role", ROLES)
def test_no_form_answers_500_or_changes_data_when_it_refuses(world, db, role):
    started = time.monotonic()
    users = world["users"]

    def client() -> Client:
        made = Client(raise_request_exception=False)
        if role != ANON:
            made.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
        return made

    browser = client()
    found: dict[str, Form] = {}
    for url in page_urls(world):
        response = browser.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for form in forms_on(url, response.content.decode()):
                found.setdefault(form.action, form)
    for form in post_only_forms(world):
        found.setdefault(form.action, form)

    sql, rng, tried, failures = _signature_sql(), random.Random(f"{SEED}-{role}"), 0, []
    first_role_for_form = role in (ANON, A, P)  # the roles shown the most forms are tried thoroughly
    before, writes = snapshot(sql), writes_so_far()
    for action, form in sorted(found.items()):
        try:
            resolve(action)
        except Resolver404:
            continue
        for description, data in cases(form, rng, thorough=first_role_for_form):
            response = browser.post(action, _fresh(data))
            tried += 1
            status = response.status_code
            if status >= 500:
                failures.append(f"{status} POST {action} [{description}]: {getattr(response, 'exc_info', None)}")
            elif 400 <= status < 500 and (writes is None or writes_so_far() != writes):
                if (after := snapshot(sql)) != before:
                    changed = sorted(label for label in after if after[label] != before.get(label))
                    failures.append(f"{status} POST {action} [{description}] changed {changed}")
                writes = writes_so_far()
            if not 400 <= status < 500:  # it may have changed something: compare the next refusal with this
                before, writes = snapshot(sql), writes_so_far()
            if re.search(r"/logout/?$", action) or status in (302, 303) and "/login" in response.get("Location", ""):
                browser = client()  # logged out by the post: log in again for the next case
        TRIED["forms"] += 1
    TRIED["cases"] += tried
    TRIED["seconds"] += time.monotonic() - started
    print(f"{role}: {tried} posts to {len(found)} forms")
    assert tried
    assert not failures, "\n".join(failures[:30])
