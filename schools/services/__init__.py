"""Writes to schools' data, one module per concern: other apps change a school or a membership only through here."""
