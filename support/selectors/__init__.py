"""Support's reads, one module per part; every list is scoped by support.policies."""
