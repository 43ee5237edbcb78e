"""A second web process for realtime tests: `python -m tests.realtime.serve <db-url> <redis-url>`.

Prints the port it listens on, then serves until killed.
"""

import sys

from werkzeug.serving import make_server

from app import create_app


def main() -> None:
    database_url, redis_url = sys.argv[1], sys.argv[2]
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        REDIS_URL=redis_url,
        RATELIMIT_ENABLED=False,
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
