#!/usr/bin/env bash
# Re-records the traces shipped in workloads/src/main/resources/traces (see the README there).
# Needs valgrind and gcc. Writes into the folder given (default: a new temporary folder).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$(mktemp -d)}"
cd "$out"
valgrind --tool=lackey --trace-mem=yes --log-file=ls.lackey ls /usr/bin > /dev/null
gzip -9 -f ls.lackey
gcc -O1 -o matwalk "$here/matwalk.c"
valgrind --tool=lackey --trace-mem=yes --log-file=matwalk.lackey ./matwalk > /dev/null
sed -n '60000000,60250000p' matwalk.lackey | gzip -9 > matwalk-shuffle250k.lackey.gz
rm -f matwalk.lackey matwalk
echo "traces written to $out"
