from accountability.services.run import SUMMARY_KEYS, RunInProgress, evaluation_run

__all__ = ["SUMMARY_KEYS", "RunInProgress", "evaluation_run"]
