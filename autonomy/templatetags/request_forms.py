"""Render a form field the accessible way: a label, help and errors tied to the input by aria-describedby."""

from django import template

register = template.Library()


@register.inclusion_tag("autonomy/requests/_field.html")
def field(bound_field, label=None, hide_label=False):
    widget_id = bound_field.auto_id
    described = []
    if bound_field.help_text:
        described.append(f"{widget_id}-help")
    if bound_field.errors:
        described.append(f"{widget_id}-error")
    attrs = {"aria-describedby": " ".join(described)} if described else {}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return {
        "field": bound_field,
        "label": label or bound_field.label,
        "hide_label": hide_label,
        "widget": bound_field.as_widget(attrs=attrs),
        "widget_id": widget_id,
        "is_checkbox": bound_field.widget_type == "checkbox",
    }


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.inclusion_tag("autonomy/requests/_error_summary.html")
def error_summary(*forms, title="There is a problem"):
    """Every error of these forms (or formsets) in one list, each naming its field and linking to it."""
    rows = []
    for form in forms:
        if form is None:
            continue
        if hasattr(form, "forms"):  # a formset: its own errors, then each row's
            rows += [{"href": "", "text": error} for error in form.non_form_errors()]
            for row in form.forms:
                rows += _form_rows(row, prefix=f"Outcome {row.number}, " if getattr(row, "number", None) else "")
        else:
            rows += _form_rows(form)
    return {"rows": rows, "title": title}


def _form_rows(form, prefix=""):
    if not form.is_bound or not form.errors:
        return []
    rows = [{"href": "", "text": f"{prefix}{error}"} for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bound = form[name]
        label = bound.label
        rows += [
            {"href": f"#{bound.auto_id}", "text": f"{prefix}{label.lower() if prefix else label}: {error}"}
            for error in errors
        ]
    return rows


@register.filter
def plain_number(value):
    """A Decimal as people write it: 80 rather than 80.0000 or 8E+1."""
    if value is None or value == "":
        return ""
    return format(value.normalize(), "f")
