"""Gunicorn settings for `interborough serve` (also used by the demo and the benchmark).

Environment variables:
  INTERBOROUGH_BIND            address to listen on (default 127.0.0.1:8000; comma-separate several)
  INTERBOROUGH_WORKERS         worker processes (default 2 x cores + 1)
  INTERBOROUGH_WORKER_CLASS    sync (default) or gthread
  INTERBOROUGH_THREADS         threads per gthread worker (default 1)
  INTERBOROUGH_ACCESS_LOG      access log file, "-" for stdout (default), "" for none
  INTERBOROUGH_TIMEOUT         seconds before a stuck worker is restarted (default 30)

Put a TLS-terminating proxy in front in production and keep the bind on loopback or a private
network; Django trusts X-Forwarded-Proto from the proxy (see SECURE_PROXY_SSL_HEADER).
"""

import multiprocessing
import os
from pathlib import Path

wsgi_app = "interborough.config.wsgi:application"
bind = [
    b.strip() for b in os.environ.get("INTERBOROUGH_BIND", "127.0.0.1:8000").split(",") if b.strip()
]
workers = int(os.environ.get("INTERBOROUGH_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
# Chosen with bench/run.py: on 2 cores, 2 x cores + 1 sync workers gave a lower, steadier p95
# than gthread (threads of one process contend for the GIL and stretch the tail). Sync workers
# expect a buffering proxy (nginx, a load balancer) in front to absorb slow clients.
worker_class = os.environ.get("INTERBOROUGH_WORKER_CLASS", "sync")
threads = int(os.environ.get("INTERBOROUGH_THREADS", "1"))
keepalive = 5
timeout = int(os.environ.get("INTERBOROUGH_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then so a slow leak can never take the service down.
max_requests = 5000
max_requests_jitter = 500
# Load Django once in the master, then fork: faster start, shared memory. No database
# connection is opened at import time, so forked workers never share one.
preload_app = True
proc_name = "interborough"
accesslog = os.environ.get("INTERBOROUGH_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("INTERBOROUGH_LOG_LEVEL", "info").lower()
# The heartbeat file on a RAM-backed folder never blocks a worker on disk I/O.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108
# No runtime control socket: a fixed path in $HOME would collide between instances.
control_socket_disable = True
