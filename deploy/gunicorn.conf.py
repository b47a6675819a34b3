"""gunicorn's settings for jieneng (installed as /etc/jieneng/gunicorn.conf.py; docs/deploy.md).

nginx in front serves the static files and terminates HTTPS; gunicorn listens on the loopback only.
"""

import multiprocessing

wsgi_app = "jieneng.web.wsgi:application"
bind = ["127.0.0.1:8000"]
# synchronous workers: a page holds its worker while it computes; 2 per core is the usual start
workers = min(2 * multiprocessing.cpu_count() + 1, 9)
# an upload below JIENENG_INLINE_IMPORT_BYTES is imported in the request: give it time
timeout = 180
graceful_timeout = 30
# recycle workers now and then (memory of large imports is given back)
max_requests = 2000
max_requests_jitter = 200
# jieneng writes its own line per request (JSON, with user and place ids); gunicorn's errors go to stderr
accesslog = None
errorlog = "-"
# only nginx on this machine may tell us the client's scheme and address
forwarded_allow_ips = "127.0.0.1,::1"
