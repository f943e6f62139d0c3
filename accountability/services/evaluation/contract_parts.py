"""Reading the evaluated contracts' benchmarks and rules as plain rows, for the engine's specs."""

from collections.abc import Iterator

from django.db import models


def contract_parts(model: type[models.Model], contracts: dict, *fields: str) -> Iterator[tuple]:
    """Rows of `model` (Benchmark or InterventionRule) of the `contracts` (by pk), each as (pk, contract_id,
    school_id, *fields), in each contract's order. Without the default ordering's joins to sort contracts by
    school name, and as tuples rather than instances: a large district has tens of thousands of benchmarks."""
    school_of = {pk: contract.school_id for pk, contract in contracts.items()}
    rows = (
        model.objects.filter(contract_id__in=contracts)
        .order_by("contract_id", "position", "pk")
        .values_list("pk", "contract_id", *fields)
    )
    for pk, contract_id, *rest in rows:
        yield (pk, contract_id, school_of[contract_id], *rest)
