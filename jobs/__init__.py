"""Background work on RQ. Job functions live in modules per domain; `jobs.worker` runs them."""
