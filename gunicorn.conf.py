"""
gunicorn settings for production (`gunicorn cms.wsgi` reads this file from the working directory).

Every value can be overridden from the environment, e.g. GUNICORN_WORKERS=3 for a small box;
`make bench` serves with this same file.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return value in ("1", "true", "yes", "on") if value else default


# The usual 2 * cores + 1 processes, capped: past a dozen, more processes mostly add memory and
# database connections (each keeps its own, CONN_MAX_AGE) rather than throughput.
cores = multiprocessing.cpu_count()
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", min(2 * cores + 1, 12)))

# Threads let a worker keep answering while one request waits on PostgreSQL or Redis, and give
# HTTP keep-alive to the proxy in front (the sync worker closes every connection).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int("GUNICORN_THREADS", 2)

# A request still running after this many seconds is stuck: the worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On restart or deploy (SIGTERM / SIGHUP), requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds an idle keep-alive connection is held open; keep below the proxy's upstream keep-alive timeout.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Import the application once in the master, before forking: faster start, shared memory, and a
# broken deploy fails at start rather than in every worker. Database and cache connections are
# opened lazily, per worker, on its first request, so none is shared across the fork.
preload_app = _bool("GUNICORN_PRELOAD", True)

# Recycle a worker after this many requests (0: never), with jitter so they do not all restart at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10)

# Errors to stderr; the access log is off unless asked for (the proxy in front logs requests).
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = "-" if _bool("GUNICORN_ACCESS_LOG", False) else None

# gunicorn's control socket (gunicornc) is off unless a path is given: by default it would sit in
# $HOME/.gunicorn/, shared by every instance the same user runs on the machine.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Trust X-Forwarded-* only from the proxy in front (gunicorn's default: 127.0.0.1).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """
    Load the URLconf, and every view module it imports, before the worker takes its first request.

    Django imports it lazily, on a worker's first request, which then waits a second or more
    (Wagtail's v3 API, if mounted, builds its schemas then). This opens no database or cache
    connection, so it is safe in each forked worker.
    """
    try:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - the attribute access imports the URLconf
    except Exception:
        worker.log.exception("Could not load the URLconf ahead of the first request.")
