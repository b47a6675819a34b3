#!/bin/sh
# jieneng-backup ROOT [PROGRAM]: a backup into ROOT/YYYY-MM-DD, then the retention below
# (docs/deploy.md); PROGRAM is the jieneng command (/opt/jieneng/bin/jieneng).
#   every day's backup for 14 days; the first of each month for 12 months; nothing else.
set -eu
root=${1:?usage: jieneng-backup ROOT [PROGRAM]}
jieneng=${2:-/opt/jieneng/bin/jieneng}
today=$(date +%F)
target="$root/$today"
if [ -e "$target/manifest.json" ]; then
    echo "jieneng-backup: $target exists already" >&2
    exit 0
fi
rm -rf "$target.partial"
"$jieneng" manage backup "$target.partial"
mv "$target.partial" "$target"
now=$(date +%s)
for dir in "$root"/????-??-??; do
    [ -d "$dir" ] || continue
    day=$(basename "$dir")
    age=$(( (now - $(date -d "$day" +%s)) / 86400 ))
    if [ "$age" -le 14 ]; then continue; fi
    case "$day" in
        *-01) if [ "$age" -le 366 ]; then continue; fi ;;
    esac
    rm -rf "$dir"
done
