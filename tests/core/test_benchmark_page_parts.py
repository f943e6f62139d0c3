"""benchmarks/page_parts.py splits a page's CPU into templates and the rest: its clock counts the time inside
the outermost template once, however deeply templates include one another, and leaves Django as it was."""

import time

from django.template import Context, Engine, base

from benchmarks.page_parts import _TemplateClock

ENGINE = Engine(
    loaders=[("django.template.loaders.locmem.Loader", {"inner.html": "{% for i in items %}{{ i }}{% endfor %}"})]
)


def test_nested_templates_are_counted_once_and_django_is_restored():
    original = base.Template.render
    outer = ENGINE.from_string("{% include 'inner.html' %}{% include 'inner.html' %}")
    clock = _TemplateClock()
    try:
        started = time.process_time()
        assert outer.render(Context({"items": range(20_000)})) == "".join(map(str, range(20_000))) * 2
        spent = time.process_time() - started
        assert 0 < clock.seconds <= spent  # counted once: nested renders would add up to more than the whole
    finally:
        clock.close()
    assert base.Template.render is original
