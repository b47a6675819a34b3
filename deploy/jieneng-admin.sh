#!/bin/sh
# jieneng-admin ARGS…: the `jieneng` command as the service user, with the services' settings
# (installed as /usr/local/bin/jieneng-admin; run it as root, e.g. `jieneng-admin manage migrate`).
set -eu
set -a
. /etc/jieneng/jieneng.env
set +a
cd /srv/jieneng
exec runuser -u jieneng -- /opt/jieneng/bin/jieneng "$@"
