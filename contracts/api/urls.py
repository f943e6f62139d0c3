from contracts.api.contracts import ContractViewSet

routes = [
    ("contracts", ContractViewSet, "contract"),
]
