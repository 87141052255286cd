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
make -C "$here/build" clean > /dev/null
(cd "$here/build" && strace -f -tt -e trace=process,memory -o "$out/build.strace" make -j4 > /dev/null 2>&1)
make -C "$here/build" clean > /dev/null
strace -f -tt -e trace=process,memory -o "$out/pool.strace" python3 "$here/pool.py" > /dev/null
gzip -9 -f "$out/build.strace" "$out/pool.strace"
echo "strace recordings written to $out"
