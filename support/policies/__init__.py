"""Who may do what in support: one module per part, each asked by pages, the API and the services alike.

`staff` answers who works in which department; the parts' modules build on it and on schools.policies.
"""
