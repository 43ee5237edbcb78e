"""The RQ worker process (Procfile `worker`): `python -m jobs.worker [queues...]`.

Jobs run inside the Flask app context so they use the same configuration, database and
tenancy hooks as web requests.
"""

import sys

from redis import Redis
from rq import Queue, Worker

from app import create_app

DEFAULT_QUEUES = ("high", "default", "low")


class AppWorker(Worker):
    """Forks a work horse per job; the horse must not reuse the parent's DB connections."""

    def main_work_horse(self, job, queue):
        from app.extensions import db

        db.engine.dispose(close=False)
        return super().main_work_horse(job, queue)


def main(argv: list[str]) -> int:
    app = create_app()
    url = app.config.get("REDIS_URL")
    if not url:
        print("REDIS_URL is not set: without Redis, jobs run inline in the web process.")
        return 2
    connection = Redis.from_url(url)
    queues = [Queue(name, connection=connection) for name in (argv or DEFAULT_QUEUES)]
    with app.app_context():
        AppWorker(queues, connection=connection).work(with_scheduler=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
