"""The forms of the autonomy pages: calls, requests and their review, and the grants ledger."""
