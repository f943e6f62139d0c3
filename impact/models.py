"""impact writes no tables yet: every figure it shows is read from the apps below it and computed on
request (the estimates kept in the shared cache, impact.cache)."""
