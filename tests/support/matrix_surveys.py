"""The surveys pages in the authorization matrix: {url name: Page} in the vocabulary of tests/matrix_kit.py."""

PAGES = {}
