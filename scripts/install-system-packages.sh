#!/usr/bin/env bash
# Install the Debian packages the test suite needs: PostgreSQL server programs (no cluster: the
# tests start their own), Chromium with CJK fonts for the browser tests, gettext for the catalogs,
# Java for the local Spark session of the monitoring tests.
# LibreOffice Writer and poppler for the bulletins (Word to PDF, PDF pages to pictures).
# Used by .ci/run and by `python3 tasks.py test` on a machine that lacks them (as root).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
APT=($SUDO apt-get -y -q --no-install-recommends
     -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

echo "==> apt-get update"
$SUDO apt-get -q update
echo "==> PostgreSQL server programs"
"${APT[@]}" install postgresql-common
$SUDO sed -ri 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' \
    /etc/postgresql-common/createcluster.conf
"${APT[@]}" install postgresql
echo "==> Chromium, Noto CJK fonts, gettext, time zones"
"${APT[@]}" install ca-certificates chromium fonts-noto-cjk gettext tzdata
echo "==> Java for the Spark session of the monitoring roll-up tests"
"${APT[@]}" install default-jre-headless
echo "==> LibreOffice Writer (headless .docx to .pdf), poppler (PDF pages to PNG), CJK Song/Kai fonts"
"${APT[@]}" install libreoffice-writer-nogui poppler-utils fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei
