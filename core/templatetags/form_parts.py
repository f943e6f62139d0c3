"""The pieces every form page draws the same way: a field, the summary of what went wrong, the submit
button with its cancel link, and the form of a workflow step; and the box a wide table scrolls sideways in."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

SAVED_NOTHING = gettext_lazy("Nothing was saved: please check")


@register.inclusion_tag("partials/field.html")
def field(bound_field, label=None, hide_label=False):
    """A label, the help and the error, tied to the input (see core.forms.DescribedBoundField)."""
    return {
        "field": bound_field,
        "label": label or bound_field.label,
        "hide_label": hide_label,
        "is_checkbox": bound_field.widget_type == "checkbox",
    }


@register.inclusion_tag("partials/error_summary.html")
def error_summary(*forms, title=SAVED_NOTHING, message=""):
    """Every error of these forms (or formsets) in one list, each naming its field and linking to it;
    or, with `message`, a refusal that is about no field."""
    rows = []
    for form in forms:
        if form is None:
            continue
        if hasattr(form, "forms"):  # a formset: its own errors, then each row's
            rows += [{"href": "", "text": error} for error in form.non_form_errors()]
            for row in form.forms:
                number = getattr(row, "number", None)
                rows += _form_rows(row, prefix=_("Outcome %(number)s, ") % {"number": number} if number else "")
        else:
            rows += _form_rows(form)
    return {"rows": rows, "title": title, "message": message}


def _form_rows(form, prefix=""):
    if not form.is_bound or not form.errors:
        return []
    rows = [{"href": "", "text": f"{prefix}{error}"} for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bound = form[name]
        if bound.is_hidden:  # the state the page was drawn from, not something the person typed
            again = _("Reload the page and try again.")
            rows += [{"href": "", "text": f"{prefix}{error} {again}"} for error in errors]
            continue
        label = bound.label
        rows += [
            {"href": f"#{bound.auto_id}", "text": f"{prefix}{label.lower() if prefix else label}: {error}"}
            for error in errors
        ]
    return rows


@register.inclusion_tag("partials/form_actions.html")
def form_actions(button, cancel_url, cancel_label=None):
    """The foot of a form page: its submit button, and the link back that saves nothing ("Cancel" unless
    the page names it)."""
    return {"button": button, "cancel_url": cancel_url, "cancel_label": cancel_label or _("Cancel")}


class StepFormNode(template.Node):
    def __init__(self, form, options, intro):
        self.form, self.options, self.intro = form, options, intro

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.options.items()}
        # The body is template output, escaped as it was rendered; strip() would drop its safe mark.
        intro = mark_safe(self.intro.render(context).strip())  # noqa: S308
        values |= {"form": self.form.resolve(context), "intro": intro}
        # As an inclusion tag does: the partial starts from a fresh context, with the page's CSRF token.
        if (csrf_token := context.get("csrf_token")) is not None:
            values["csrf_token"] = csrf_token
        partial = context.template.engine.get_template("partials/step_form.html")
        return partial.render(context.new(values))


@register.tag
def step_form(parser, token):
    """The form of one workflow step, drawn by partials/step_form.html. What lies between the tags is the
    sentence under the heading, so each page keeps its own words:

        {% step_form form action=url heading="Resolve" button="Resolve the flag" %}
          <p>Close the case.</p>
        {% endstep_form %}

    Also `heading_id` (for a link to the step) and `button_class` (`button-secondary`, `button-danger`)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("step_form takes a form, then action=, heading= and button=.")
    options = template.base.token_kwargs(bits[2:], parser)
    if len(options) != len(bits) - 2 or not {"action", "heading", "button"} <= options.keys():
        raise template.TemplateSyntaxError("step_form takes a form, then action=, heading= and button=.")
    intro = parser.parse(("endstep_form",))
    parser.delete_first_token()
    return StepFormNode(parser.compile_filter(bits[1]), options, intro)


class ScrollRegionNode(template.Node):
    def __init__(self, options, content):
        self.options, self.content = options, content

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.options.items()}
        values["content"] = mark_safe(self.content.render(context))  # noqa: S308 (rendered, hence escaped)
        partial = context.template.engine.get_template("partials/scroll_region.html")
        return partial.render(context.new(values))


@register.tag
def scroll_region(parser, token):
    """A wide table (or a long line of text) in a box that scrolls sideways on a narrow screen. The box is a
    region a keyboard can reach and scroll (tabindex 0), named by the element whose id is `labelledby`, or
    else by `label`:

        {% scroll_region labelledby="runs-caption" %}<table><caption id="runs-caption">…</table>{% endscroll_region %}

    Also `class`, the box's own class beside `table-scroll`. Drawn by partials/scroll_region.html."""
    bits = token.split_contents()
    options = template.base.token_kwargs(bits[1:], parser)
    if len(options) != len(bits) - 1 or len({"labelledby", "label"} & options.keys()) != 1:
        raise template.TemplateSyntaxError("scroll_region takes labelledby= (an id) or label=, and class=.")
    if options.keys() - {"labelledby", "label", "class"}:
        raise template.TemplateSyntaxError("scroll_region takes labelledby= (an id) or label=, and class=.")
    content = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    return ScrollRegionNode(options, content)
