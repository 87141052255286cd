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
# fio 3.33 (Debian's fio) with libaio and io_uring, threads and processes, and io_uring with SQPOLL:
# 2 jobs of 64 random 4 KiB direct reads at queue depth 8 from a 256 KiB file
T='trace=process,memory,io_setup,io_submit,io_getevents,io_destroy,io_uring_setup,io_uring_enter,io_uring_register'
dd if=/dev/urandom of=/tmp/fio.dat bs=4k count=64 2> /dev/null
fio_job() {
    strace -f -tt -e "$T" -o "$out/$1" fio --name=job --ioengine="$2" --rw=randread --bs=4k --size=256k \
        --numjobs=2 --iodepth=8 --direct=1 --filename=/tmp/fio.dat --group_reporting "${@:3}" --output=/dev/null
    gzip -9 -f "$out/$1"
}
fio_job fio-libaio-thread.strace libaio --thread
fio_job fio-libaio-proc.strace libaio
fio_job fio-io_uring-thread.strace io_uring --thread
fio_job fio-io_uring-proc.strace io_uring
fio_job fio-io_uring-sqpoll.strace io_uring --sqthread_poll=1 --thread
echo "fio recordings written to $out"
