"""Every write to performance contracts: drafting from a template, the signature workflow, amendments."""

from contracts.services.amendments import contract_amend, contract_amend_from_request
from contracts.services.drafting import (
    contract_benchmark_add,
    contract_benchmark_remove,
    contract_create_from_template,
    contracts_import_signed,
)
from contracts.services.editing import BenchmarkInput, RuleInput, contract_benchmark_update, contract_rule_update
from contracts.services.signatures import (
    SignatureCheck,
    SigningLocked,
    client_address,
    contract_content,
    contract_content_sha256,
    contract_signature_checks,
)
from contracts.services.steps import (
    contract_countersign,
    contract_propose,
    contract_recall,
    contract_sign,
    contract_terminate,
)
from contracts.services.targets import check_benchmark_target, check_target_in_range, comparator_warning

__all__ = [
    "BenchmarkInput",
    "RuleInput",
    "contract_benchmark_update",
    "contract_rule_update",
    "SignatureCheck",
    "SigningLocked",
    "client_address",
    "contract_content",
    "contract_content_sha256",
    "contract_signature_checks",
    "check_benchmark_target",
    "check_target_in_range",
    "comparator_warning",
    "contract_amend",
    "contract_amend_from_request",
    "contract_benchmark_add",
    "contract_benchmark_remove",
    "contract_countersign",
    "contract_create_from_template",
    "contract_propose",
    "contract_recall",
    "contract_sign",
    "contract_terminate",
    "contracts_import_signed",
]
