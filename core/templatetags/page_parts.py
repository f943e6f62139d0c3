"""The parts every page draws the same way: the header of a list or landing page (its heading, the sentence
that says what the page is for, and what the page adds under them), and a list that says so when it has
nothing in it."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

PAGE_HEADER_USAGE = 'page_header takes the heading, then lede= (a plain sentence): {% page_header "Flags" lede="…" %}.'
LIST_OR_EMPTY_USAGE = 'list_or_empty takes the items, then the sentence for none: {% list_or_empty items "None." %}.'


class PageHeaderNode(template.Node):
    def __init__(self, heading, options, content):
        self.heading, self.options, self.content = heading, options, content

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.options.items()}
        values["heading"] = self.heading.resolve(context)
        # The body is template output, escaped as it was rendered; strip() would drop its safe mark.
        values["content"] = mark_safe(self.content.render(context).strip())  # noqa: S308
        partial = context.template.engine.get_template("partials/page_header.html")
        return partial.render(context.new(values))


@register.tag
def page_header(parser, token):
    """The page's <header>, drawn by partials/page_header.html: the <h1>, the lede under it, then what lies
    between the tags (a second sentence, a button for what the page offers):

        {% page_header "Decision rights" lede="The decisions each school makes for itself." %}
          {% if can_manage %}<p><a class="button" href="…">Grant an autonomy</a></p>{% endif %}
        {% endpage_header %}

    A lede with values in it is written between the tags, as <p class="lede">…</p>."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(PAGE_HEADER_USAGE)
    options = template.base.token_kwargs(bits[2:], parser)
    if len(options) != len(bits) - 2 or options.keys() - {"lede"}:
        raise template.TemplateSyntaxError(PAGE_HEADER_USAGE)
    content = parser.parse(("endpage_header",))
    parser.delete_first_token()
    return PageHeaderNode(parser.compile_filter(bits[1]), options, content)


class ListOrEmptyNode(template.Node):
    def __init__(self, items, empty, content):
        self.items, self.empty, self.content = items, empty, content

    def render(self, context):
        if self.items.resolve(context):
            return self.content.render(context)
        partial = context.template.engine.get_template("partials/empty.html")
        return partial.render(context.new({"empty": self.empty.resolve(context)}))


@register.tag
def list_or_empty(parser, token):
    """What lies between the tags when `items` holds anything; else the sentence, drawn by partials/empty.html:

    {% list_or_empty comments "No comments yet." %}
    <ul>{% for comment in comments %}…{% endfor %}</ul>
    {% endlist_or_empty %}
    """
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(LIST_OR_EMPTY_USAGE)
    content = parser.parse(("endlist_or_empty",))
    parser.delete_first_token()
    return ListOrEmptyNode(parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), content)
