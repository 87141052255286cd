#!/usr/bin/env bash
# Integration test of protsim sweep --slurm on a real Slurm: starts a single-node cluster on
# localhost (tools/slurm/local-cluster.sh installs Debian's slurmctld, slurmd and munge if
# missing), submits a small sweep as a 3-task job array, waits for it, merges the shards, and
# requires the result to equal the same sweep run locally, file for file. The daemons it
# started are stopped (by pid) whatever happens.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$(mktemp -d)"
state="$work/slurm"
cleanup() {
  tools/slurm/local-cluster.sh stop "$state" || true
  rm -rf "$work"
}
# KEEP=1 leaves the cluster running and the folders in place, to look into a failure
[[ -n "${KEEP:-}" ]] || trap cleanup EXIT

eval "$(tools/slurm/local-cluster.sh start "$state")"
spec="$root/tools/slurm/test-sweep.json"

./protsim sweep "$spec" --out "$work/cluster" --slurm 3
grep -q -- '--array=0-2' "$work/cluster/sweep.sbatch"
# --wait: return when every task has ended, with the highest exit code among them
sbatch --wait "$work/cluster/sweep.sbatch"
for i in 0 1 2; do
  grep -q "shard $i/3 done" "$work"/cluster/slurm-*_"$i".out || { cat "$work"/cluster/slurm-*.out; exit 1; }
done
./protsim merge "$work/cluster" --out "$work/merged"

./protsim sweep "$spec" --out "$work/local" 2> /dev/null
# the .protsim marker names the command that wrote each folder (sweep, merge) and inputs.json is
# the sweep's resume record: bookkeeping, not results
diff -r -x .protsim -x inputs.json "$work/local" "$work/merged"
echo "slurm integration: 3-task job array merged equals the local sweep ($(find "$work/merged/points" -name summary.json | wc -l) runs)"
