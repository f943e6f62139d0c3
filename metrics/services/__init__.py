from metrics.services.import_rows import MAX_LISTED_ERRORS, MAX_ROWS, ImportReport, RowError
from metrics.services.observations import observations_import_csv, observations_import_records

__all__ = [
    "MAX_LISTED_ERRORS",
    "MAX_ROWS",
    "ImportReport",
    "RowError",
    "observations_import_csv",
    "observations_import_records",
]
