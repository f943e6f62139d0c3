# Performance contracts (templates, versions, benchmarks, intervention rules) arrive with their
# workflow; the app is installed now so that the dependency order of the apps is fixed.
