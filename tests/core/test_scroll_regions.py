"""A box that scrolls sideways is a named region the keyboard can reach: every one is drawn by
{% scroll_region %} (partials/scroll_region.html), none by hand."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

REPO = Path(__file__).resolve().parents[2]
TAG = "partials/scroll_region.html"


def render(source: str, **context) -> str:
    return Template("{% load form_parts %}" + source).render(Context(context))


def test_the_box_is_a_focusable_region_named_by_its_caption():
    html = render(
        '{% scroll_region labelledby="runs-caption" class="wide" %}<table><caption id="runs-caption">Runs</caption>'
        "<tr><td>{{ cell }}</td></tr></table>{% endscroll_region %}",
        cell="<b>",
    )
    assert '<div class="table-scroll wide" tabindex="0" role="region" aria-labelledby="runs-caption">' in html
    assert "<td>&lt;b&gt;</td>" in html  # the content is the page's, escaped as the page escapes it


def test_a_box_without_a_caption_is_named_by_its_label():
    html = render('{% scroll_region label="An example file" %}<pre>a,b</pre>{% endscroll_region %}')
    assert '<div class="table-scroll" tabindex="0" role="region" aria-label="An example file">' in html


@pytest.mark.parametrize(
    "tag", ["{% scroll_region %}", '{% scroll_region labelledby="a" label="b" %}', '{% scroll_region id="a" %}']
)
def test_a_box_must_be_named_once(tag):
    with pytest.raises(TemplateSyntaxError):
        render(tag + "{% endscroll_region %}")


def test_no_template_draws_a_scrolling_box_by_hand():
    templates = [*REPO.glob("templates/**/*.html"), *REPO.glob("*/templates/**/*.html")]
    assert len(templates) > 30
    by_hand = [
        str(path.relative_to(REPO))
        for path in templates
        if re.search(r"class=\"table-scroll", path.read_text()) and not path.as_posix().endswith(TAG)
    ]
    assert not by_hand, f"Use {{% scroll_region %}} for these scrolling boxes: {by_hand}"
