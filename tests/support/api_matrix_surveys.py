"""The surveys API in the API's authorization matrix: {router URL name: [Call, …]} in the vocabulary of
tests/api/matrix_kit.py, and what the calls need added to the module's world (built once per module)."""

API = {}


def add_to_world(world: dict) -> None:
    """Nothing yet."""
