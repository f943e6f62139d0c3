"""The effect of an autonomy on a metric by years since the grant, against schools not yet holding it.

Schools gain autonomies in different years (staggered adoption), and the effect may grow with time held.
A two-way fixed-effects regression then compares newly granted schools with schools granted earlier and
can report an effect of the wrong sign; the estimators made for staggered adoption compare each granted
school only with schools not yet granted. This uses the local-projections difference-in-differences of
Dube, Girardi, Jordà and Taylor (2023) as `pyfixest.lpdid` implements it (MIT licence, maintained,
releases every few weeks): for each horizon h from -3 to +4 it regresses the change of the metric from
the year before the grant (h = -1, the reference) to year h on being granted, with year fixed effects, in
the sample of newly granted schools and "clean" controls (schools not granted by then, including those
never granted), with standard errors clustered by school. It matches Callaway and Sant'Anna's
not-yet-treated estimate with equal weights per school, and answers 2,000 schools × 8 years in about a
second (benchmarks/impact.py). `differences` (GPL-3.0) would bind the portal's licence; `csdid` brings
packaging tools among its runtime needs; pyfixest's saturated (Sun–Abraham) estimator is still in beta
and controls with never-granted schools only.

The pre-grant trend check: the horizons before the grant (-3, -2) should be zero if granted schools were
on the same path as the others. Each is tested; the check's p-value is the smallest of them times their
number (Bonferroni), so it fails at 5% when any pre-grant difference is larger than chance allows.

Nothing is shown for a horizon with fewer than MIN_SCHOOLS granted schools behind it.
"""

import math
import warnings
from dataclasses import dataclass

PRE, POST = 3, 4
HORIZONS = tuple(range(-PRE, POST + 1))
REFERENCE = -1
MIN_SCHOOLS = 5
PRE_TREND_ALPHA = 0.05


@dataclass(frozen=True)
class Horizon:
    years: int  # years since the grant: 0 is the first school year held, -1 the year before (reference)
    schools: int  # granted schools behind this horizon
    estimate: float | None  # None when hidden (too few schools) or the reference year
    low: float | None
    high: float | None
    p_value: float | None

    @property
    def shown(self) -> bool:
        return self.estimate is not None

    @property
    def covers_zero(self) -> bool:
        return self.shown and self.low <= 0 <= self.high


@dataclass(frozen=True)
class EventStudy:
    horizons: list[Horizon]
    granted_schools: int  # schools granted within the observed years, with a value the year before
    comparison_schools: int  # schools never granted with values
    pre_trend_p: float | None  # None when no pre-grant horizon has enough schools
    estimated: bool

    @property
    def pre_trend_differs(self) -> bool:
        return self.pre_trend_p is not None and self.pre_trend_p < PRE_TREND_ALPHA

    @property
    def after(self) -> list[Horizon]:
        return [h for h in self.horizons if h.years >= 0 and h.shown]

    @property
    def hidden(self) -> list[Horizon]:
        return [h for h in self.horizons if h.years != REFERENCE and not h.shown]

    @property
    def average_after(self) -> float | None:
        shown = [h.estimate for h in self.after]
        return sum(shown) / len(shown) if shown else None


def _schools_per_horizon(frame, adopted: dict[int, int]) -> dict[int, int]:
    """Granted schools with a value both in the year before the grant and at the horizon."""
    have = set(zip(frame["school"], frame["year"], strict=True))
    counts = {}
    for h in HORIZONS:
        counts[h] = sum(1 for s, g in adopted.items() if (s, g - 1) in have and (s, g + h) in have)
    return counts


def estimation_library_load() -> None:
    """Load what an estimate needs, which takes seconds the first time in a process: pyfixest loads its
    estimators (and scipy's statistics behind them) only when one is first asked for. The web process calls
    this in a thread as it starts (sgs_portal/wsgi.py), so the first outcomes page does not wait for it;
    commands and workers, which may never estimate anything, do not pay for it."""
    import pandas  # noqa: F401
    from pyfixest import lpdid  # noqa: F401


def event_study_estimate(*, rows: list[tuple[int, int, float]], adopted: dict[int, int]) -> EventStudy:
    """`rows` (school, year, value); `adopted` {school: first year granted}. Schools granted in or before
    the first observed year are left out (never seen without the autonomy); those granted after the last
    are schools not yet granted."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["school", "year", "value"])
    if frame.empty:
        return EventStudy([Horizon(h, 0, None, None, None, None) for h in HORIZONS], 0, 0, None, False)
    first, last = int(frame["year"].min()), int(frame["year"].max())
    always = {s for s, g in adopted.items() if g <= first}
    frame = frame[~frame["school"].isin(always)].copy()
    seen = set(frame["school"])
    adopted = {s: g for s, g in adopted.items() if s in seen and g <= last}
    counts = _schools_per_horizon(frame, adopted)
    have = set(zip(frame["school"], frame["year"], strict=True))
    granted = sum(1 for s, g in adopted.items() if (s, g - 1) in have)
    comparison = len(seen - set(adopted))
    if granted < MIN_SCHOOLS or comparison < MIN_SCHOOLS and granted < 2 * MIN_SCHOOLS:
        hidden = [Horizon(h, counts[h], None, None, None, None) for h in HORIZONS]
        return EventStudy(hidden, granted, comparison, None, False)
    frame["adopted"] = frame["school"].map(adopted).fillna(0).astype(int)
    fit = _fit(frame)
    horizons = []
    for h in HORIZONS:
        row = fit.get(h)
        if h == REFERENCE or row is None or counts[h] < MIN_SCHOOLS:
            horizons.append(Horizon(h, counts[h], None, None, None, None))
        else:
            horizons.append(Horizon(h, counts[h], *row))
    pre = [h.p_value for h in horizons if h.years < REFERENCE and h.shown]
    pre_p = min(1.0, min(pre) * len(pre)) if pre else None
    return EventStudy(horizons, granted, comparison, pre_p, True)


def _fit(frame) -> dict[int, tuple[float, float, float, float]]:
    """{horizon: (estimate, low, high, p)} from pyfixest's lpdid, 95% intervals clustered by school."""
    import pyfixest

    # The library refuses a window reaching past the years since the grant the data holds (a district
    # with five years of results has no fourth year after a grant): ask for what is there.
    treated = frame[frame["adopted"] > 0]
    relative = set((treated["year"] - treated["adopted"]).tolist())
    if not relative or REFERENCE not in relative:
        return {}
    pre = max(-PRE, min(relative))
    post = min(POST, max(relative))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyfixest speaks of dropped collinear terms; the counts say it plainly
        result = pyfixest.lpdid(
            data=frame,
            yname="value",
            idname="school",
            tname="year",
            gname="adopted",
            vcov={"CRV1": "school"},
            pre_window=pre,
            post_window=post,
            never_treated=0,
            att=False,
        )
    table = result.tidy() if hasattr(result, "tidy") else result
    out = {}
    for name, row in table.iterrows():
        h = int(str(name).rsplit("::", 1)[-1])
        values = (row["Estimate"], row["2.5%"], row["97.5%"], row["Pr(>|t|)"])
        if all(math.isfinite(float(v)) for v in values):
            out[h] = tuple(float(v) for v in values)
    return out
