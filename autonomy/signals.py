"""Pages kept for many people that show the catalog's entries (core.versions, "catalog": the catalog
page, the district overview's rows) are built afresh when an entry, an eligibility criterion or a metric
it names is saved or removed: through the catalog page, the admin or the evaluation's decision log."""

from autonomy.models import Autonomy, EligibilityCriterion
from core.versions import version_follows
from metrics.models import Metric

version_follows("catalog", Autonomy, EligibilityCriterion, Metric)
