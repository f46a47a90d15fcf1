#!/usr/bin/env bash
# Take a screenshot of the real app on a virtual X screen.
# usage: scripts/screenshot.sh OUT.png [WIDTHxHEIGHT] [SECONDS_TO_WAIT] [-- extra deepmine args]
# Uses Debian's xvfb and imagemagick (`make system-deps`); DEEPMINE_HOME is honoured.
set -euo pipefail
out=${1:?usage: scripts/screenshot.sh OUT.png [WxH] [seconds]}
size=${2:-1280x800}
wait=${3:-8}
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = "--" ] && shift
here=$(cd "$(dirname "$0")/.." && pwd)
py="$here/.venv/bin/python"
w=${size%x*}; h=${size#*x}
xvfb-run -a -s "-screen 0 ${w}x${h}x24" bash -c "
  QT_QPA_PLATFORM=xcb '$py' -m gui $* &
  app=\$!
  sleep $wait
  import -window root '$out'
  kill \$app 2>/dev/null || true
  wait \$app 2>/dev/null || true
"
echo "$out"
