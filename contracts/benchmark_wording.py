"""A benchmark in plain words: the one sentence the contract page, its PDF, the changes page and the
accountability pages all print for it (a level, a growth from the baseline, a trend, an average over years,
or a standing among the district's schools), and the rating bands around its target.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import Benchmark, BenchmarkKind

COMPARATOR_WORDS = {
    ">=": gettext_lazy("at least"),
    ">": gettext_lazy("more than"),
    "<=": gettext_lazy("at most"),
    "<": gettext_lazy("less than"),
}


def number_text(value) -> str:
    """A figure as a contract prints it: 45, 4.5, 0.25, never 45.00 or 8E+1; blank for none."""
    return f"{value.normalize():f}" if value is not None else ""


def _ordinal(value) -> str:
    number = number_text(value)
    if "." in number:
        return _("%(number)sth") % {"number": number}
    whole = int(number)
    if 10 <= whole % 100 <= 20:
        return _("%(number)sth") % {"number": number}
    suffix = {1: _("%(number)sst"), 2: _("%(number)snd"), 3: _("%(number)srd")}.get(whole % 10, _("%(number)sth"))
    return suffix % {"number": number}


STANDING_WORDS = {
    ">=": gettext_lazy("at or above"),
    ">": gettext_lazy("above"),
    "<=": gettext_lazy("at or below"),
    "<": gettext_lazy("below"),
}
# "falls by at least 2" is "changes by at most -2": the comparator turns round with the sign.
FLIPPED = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


def _points(benchmark: Benchmark, amount) -> str:
    if benchmark.metric.unit not in ("percent", "rating"):
        return ""
    return _(" point") if amount == 1 else _(" points")


def _change(benchmark: Benchmark) -> str:
    """A change of the target's size in plain words: "grows by at least 3 points", "falls by at least 2"."""
    target, comparator = benchmark.target, benchmark.comparator
    if target < 0:
        phrase, comparator, target = (
            _("falls by %(comparison)s %(amount)s"),
            FLIPPED.get(comparator, comparator),
            -target,
        )
    else:
        phrase = _("grows by %(comparison)s %(amount)s")
    amount = f"{number_text(target)}{_points(benchmark, target)}"
    return phrase % {"comparison": COMPARATOR_WORDS.get(comparator, comparator), "amount": amount}


def _trend_sentence(benchmark: Benchmark) -> str:
    """A trend compares the yearly improvement (in the metric's better direction) with the target, the
    smallest yearly step: "at least 0" means never getting worse."""
    metric, years, target = benchmark.metric.name, benchmark.periods, benchmark.target
    words = COMPARATOR_WORDS.get(benchmark.comparator, benchmark.comparator)
    if benchmark.comparator == ">=" and target == 0:
        return _("%(metric)s does not get worse in any of the last %(years)s years.") % {
            "metric": metric,
            "years": years,
        }
    if benchmark.comparator in (">=", ">") and target >= 0:
        amount = f"{number_text(target)}{_points(benchmark, target)}"
        step = _(", by %(comparison)s %(amount)s a year") % {"comparison": words, "amount": amount} if target else ""
        return _("%(metric)s improves every year over the last %(years)s years%(step)s.") % {
            "metric": metric,
            "years": years,
            "step": step,
        }
    return _("The yearly improvement in %(metric)s over the last %(years)s years is %(comparison)s %(target)s.") % {
        "metric": metric,
        "years": years,
        "comparison": words,
        "target": number_text(target),
    }


def benchmark_sentence(benchmark: Benchmark) -> str:
    metric = benchmark.metric.name
    words = COMPARATOR_WORDS.get(benchmark.comparator, benchmark.comparator)
    target = number_text(benchmark.target)
    unit = "%" if benchmark.metric.unit == "percent" and benchmark.kind != BenchmarkKind.RELATIVE else ""
    if benchmark.kind == BenchmarkKind.GROWTH:
        baseline = (
            _(" (baseline %(value)s)") % {"value": f"{number_text(benchmark.baseline)}{unit}"}
            if benchmark.baseline is not None
            else ""
        )
        sentence = _("%(metric)s %(change)s from the baseline%(baseline)s.") % {
            "metric": metric,
            "change": _change(benchmark),
            "baseline": baseline,
        }
    elif benchmark.kind == BenchmarkKind.TREND:
        sentence = _trend_sentence(benchmark)
    elif benchmark.kind == BenchmarkKind.AGGREGATE:
        sentence = _("The %(years)s-year average of %(metric)s is %(comparison)s %(target)s.") % {
            "years": benchmark.periods,
            "metric": metric,
            "comparison": words,
            "target": f"{target}{unit}",
        }
    elif benchmark.kind == BenchmarkKind.RELATIVE:
        percentile = _ordinal(benchmark.target)
        standing = STANDING_WORDS.get(benchmark.comparator, words)
        sentence = _("%(metric)s places the school %(standing)s the %(percentile)s percentile of district schools.") % {
            "metric": metric,
            "standing": standing,
            "percentile": percentile,
        }
    else:
        sentence = _("%(metric)s is %(comparison)s %(target)s.") % {
            "metric": metric,
            "comparison": words,
            "target": f"{target}{unit}",
        }
    if benchmark.new_school_target is not None:
        sentence += _(" A school in its first or second year is held to %(target)s.") % {
            "target": f"{number_text(benchmark.new_school_target)}{unit}"
        }
    return sentence


def rating_bands(benchmark: Benchmark) -> str:
    """The rating bands around the target in words: "exceeds 5 beyond the target; falls far below 10 short"."""
    parts = []
    if benchmark.exceeds_margin is not None:
        parts.append(_("exceeds %(margin)s beyond the target") % {"margin": number_text(benchmark.exceeds_margin)})
    if benchmark.far_below_margin is not None:
        parts.append(_("falls far below %(margin)s short of it") % {"margin": number_text(benchmark.far_below_margin)})
    return "; ".join(parts)
