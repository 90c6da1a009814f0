"""Load benchmark of the site and APIs under gunicorn: `make bench` (see docs/performance.md)."""
