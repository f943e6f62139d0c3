"""Reading the evaluated contracts' benchmarks and rules as plain rows, for the engine's specs."""

from django.db import models


def contract_parts(model: type[models.Model], contracts: dict, *fields: str, **annotations) -> list[tuple]:
    """Rows of `model` (Benchmark or InterventionRule) of the `contracts` (by pk), each as (pk, contract_id,
    school_id, *fields), in each contract's order; `annotations` are expressions a field may name. Without the
    default ordering's joins to sort contracts by school name, and as the driver's tuples rather than
    instances: a large district has tens of thousands of benchmarks."""
    return list(
        model.objects.filter(contract_id__in=contracts)
        .annotate(**annotations)
        .order_by("contract_id", "position", "pk")
        .values_list("pk", "contract_id", "contract__school_id", *fields)
    )
