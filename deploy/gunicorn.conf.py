"""gunicorn settings for the web container (docker-compose.yml).

Tunable from the environment: GUNICORN_WORKERS, GUNICORN_TIMEOUT.
"""

import multiprocessing
import os

bind = "0.0.0.0:8000"
# Sync workers: the pages are short database reads; imports and exports stream.
workers = int(os.environ.get("GUNICORN_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
# A 100,000-row roster preview takes seconds; a minute leaves room on a slow disk.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak in a library cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files on tmpfs: a container's overlay filesystem can stall the workers' heartbeat.
worker_tmp_dir = "/dev/shm"

# The reverse proxy in front (TLS) connects from another address on the Docker network; trust
# its X-Forwarded-* headers. Port 8000 is published on 127.0.0.1 only (docker-compose.yml).
forwarded_allow_ips = "*"

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The path without the query string: search terms (names, phone numbers) stay out of the log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

# The control socket (gunicornc) defaults to $HOME/.gunicorn, which the unprivileged user of the
# image cannot write; /tmp is private to the container.
control_socket = "/tmp/gunicorn.ctl"
