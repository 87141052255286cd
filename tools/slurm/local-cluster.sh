#!/usr/bin/env bash
# local-cluster.sh -- throw-away single-node Slurm cluster on localhost.
#
# Used by CI's integration test of `protsim sweep --slurm`: start a real
# slurmctld + slurmd (+ munged) whose whole state lives in one directory,
# run the test against it, then stop exactly those daemons again.
#
#   eval "$(tools/slurm/local-cluster.sh start "$STATE_DIR")"   # sets SLURM_CONF
#   ...  sbatch / squeue / protsim sweep --slurm ...
#   tools/slurm/local-cluster.sh stop "$STATE_DIR"
#
# Must run as root (SlurmUser=root, slurmd needs root). No cgroups are used.
# Only the `export SLURM_CONF=...` line goes to stdout; everything else to stderr.
#
# Environment overrides:
#   PROTSIM_SLURMCTLD_PORT   slurmctld port            (default 16817)
#   PROTSIM_SLURMD_PORT      slurmd port               (default 16818)
#   PROTSIM_SLURM_TIMEOUT    seconds to wait for idle  (default 60)
set -euo pipefail

export PATH="$PATH:/usr/sbin:/sbin"

CTLD_PORT="${PROTSIM_SLURMCTLD_PORT:-16817}"
SLURMD_PORT="${PROTSIM_SLURMD_PORT:-16818}"
START_TIMEOUT="${PROTSIM_SLURM_TIMEOUT:-60}"

log() { echo "local-cluster: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
}

# ---------------------------------------------------------------- helpers

# pid_alive NAME PID: true if PID is alive and is the process NAME
# (guards against killing an unrelated process that reused the pid).
pid_alive() {
    local name="$1" pid="$2" comm
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
    [[ "$comm" == "$name" ]]
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

ensure_packages() {
    local missing=()
    local cmd
    for cmd in slurmctld slurmd sbatch munged; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
    done
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    log "missing ${missing[*]}; installing slurmctld slurmd slurm-client munge"
    local pkgs=(slurmctld slurmd slurm-client munge)
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" >&2; then
        log "apt-get install failed; running apt-get update and retrying"
        apt-get update >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" >&2
    fi
    for cmd in slurmctld slurmd sbatch munged; do
        command -v "$cmd" >/dev/null 2>&1 || die "$cmd still missing after install"
    done
}

dump_logs() {
    local f
    for f in "$STATE_DIR"/log/*; do
        [[ -f "$f" ]] || continue
        echo "===== $f (last 40 lines) =====" >&2
        tail -n 40 "$f" >&2 || true
    done
}

# start_daemon NAME CMD...: run CMD in the foreground mode of the daemon,
# detached in its own session, and record "NAME PID" in $STATE_DIR/pids.
start_daemon() {
    local name="$1"; shift
    setsid "$@" </dev/null >"$STATE_DIR/log/$name.out" 2>&1 &
    local pid=$!
    echo "$name $pid" >>"$STATE_DIR/pids"
    log "started $name (pid $pid)"
}

# check_daemons: fail if any recorded daemon has died.
check_daemons() {
    local name pid
    while read -r name pid; do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$name (pid $pid) exited prematurely"
            return 1
        fi
    done <"$STATE_DIR/pids"
}

# ---------------------------------------------------------------- start

cmd_start() {
    [[ $EUID -eq 0 ]] || die "must run as root (slurmd and SlurmUser=root need it)"
    ensure_packages

    mkdir -p "$STATE_DIR"
    STATE_DIR="$(cd "$STATE_DIR" && pwd -P)"

    # Refuse to start twice; drop a stale pids file from a dead cluster.
    if [[ -f "$STATE_DIR/pids" ]]; then
        local name pid
        while read -r name pid; do
            if pid_alive "$name" "$pid"; then
                die "$name (pid $pid) from a previous start is still running; run '$0 stop $STATE_DIR' first"
            fi
        done <"$STATE_DIR/pids"
        rm -f "$STATE_DIR/pids"
    fi
    local port
    for port in "$CTLD_PORT" "$SLURMD_PORT"; do
        if port_in_use "$port"; then
            die "port $port is already in use (override with PROTSIM_SLURMCTLD_PORT / PROTSIM_SLURMD_PORT)"
        fi
    done

    # Fresh state on every start: wipe only the subdirectories we own.
    rm -rf "$STATE_DIR/munge" "$STATE_DIR/state" "$STATE_DIR/spool" \
        "$STATE_DIR/log" "$STATE_DIR/run"
    mkdir -p "$STATE_DIR/munge" "$STATE_DIR/state" "$STATE_DIR/spool" \
        "$STATE_DIR/log" "$STATE_DIR/run"
    # munged insists that its directories are not group/other writable.
    chmod 0755 "$STATE_DIR/munge"
    chmod 0700 "$STATE_DIR/state" "$STATE_DIR/spool"
    : >"$STATE_DIR/pids"

    # --- munge key + daemon ------------------------------------------------
    local key="$STATE_DIR/munge/munge.key"
    local sock="$STATE_DIR/munge/munge.socket"
    if command -v mungekey >/dev/null 2>&1; then
        mungekey --create --bits=1024 --keyfile="$key" >&2
    else
        dd if=/dev/urandom of="$key" bs=1 count=1024 status=none
    fi
    chown "$(id -u):$(id -g)" "$key"
    chmod 0400 "$key"

    # --- slurm.conf --------------------------------------------------------
    local host cpus mem_kb mem_mb margin real_mem
    host="$(hostname -s)"
    cpus="$(nproc)"
    mem_kb="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
    mem_mb=$((mem_kb / 1024))
    # Leave 5% (at least 256 MB) so slurmd never reports less than configured
    # (which would drain the node with "Low RealMemory").
    margin=$((mem_mb / 20))
    ((margin < 256)) && margin=256
    real_mem=$((mem_mb - margin))
    ((real_mem < 1)) && real_mem=1

    : >"$STATE_DIR/plugstack.conf"   # isolate from /etc/slurm/plugstack.conf
    cat >"$STATE_DIR/slurm.conf" <<EOF
# Generated by tools/slurm/local-cluster.sh -- single-node TEST cluster only.
ClusterName=protsim-ci
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${CTLD_PORT}
SlurmdPort=${SLURMD_PORT}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${sock}

StateSaveLocation=${STATE_DIR}/state
SlurmdSpoolDir=${STATE_DIR}/spool
SlurmctldPidFile=${STATE_DIR}/run/slurmctld.pid
SlurmdPidFile=${STATE_DIR}/run/slurmd.pid
SlurmctldLogFile=${STATE_DIR}/log/slurmctld.log
SlurmdLogFile=${STATE_DIR}/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=${STATE_DIR}/plugstack.conf

# No cgroups anywhere.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true

SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
MinJobAge=300

NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${real_mem} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$STATE_DIR/slurm.conf"

    # --- daemons (foreground mode, detached; pid recorded) -----------------
    start_daemon munged munged --foreground --force \
        --key-file="$key" --socket="$sock" \
        --pid-file="$STATE_DIR/run/munged.pid" \
        --log-file="$STATE_DIR/log/munged.log" \
        --seed-file="$STATE_DIR/munge/munged.seed"
    local i
    for ((i = 0; i < 50; i++)); do
        [[ -S "$sock" ]] && break
        sleep 0.1
    done
    if [[ ! -S "$sock" ]] || ! check_daemons; then
        log "munged did not come up"
        dump_logs
        kill_recorded
        exit 1
    fi

    start_daemon slurmctld slurmctld -D -f "$SLURM_CONF"
    start_daemon slurmd slurmd -D -f "$SLURM_CONF"

    # --- wait for the node to be idle --------------------------------------
    local deadline=$((SECONDS + START_TIMEOUT)) state="" why=""
    while ((SECONDS < deadline)); do
        if ! check_daemons; then
            why="a daemon died"
            break
        fi
        state="$(sinfo -h -n "$host" -o %t 2>/dev/null | head -n1 || true)"
        if [[ "$state" == "idle" ]]; then
            log "node $host is idle after ${SECONDS}s (cpus=$cpus, RealMemory=${real_mem}MB, ports $CTLD_PORT/$SLURMD_PORT)"
            echo "export SLURM_CONF=$SLURM_CONF"
            return 0
        fi
        sleep 0.5
    done
    log "cluster did not become idle: ${why:-timeout after ${START_TIMEOUT}s} (last node state: '${state:-none}')"
    sinfo >&2 || true
    dump_logs
    kill_recorded
    exit 1
}

# ---------------------------------------------------------------- stop

kill_recorded() {
    [[ -f "$STATE_DIR/pids" ]] || return 0
    local name pid lines=() alive=() entry
    mapfile -t lines <"$STATE_DIR/pids"
    # Stop in reverse start order: slurmd, slurmctld, munged.
    for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
        read -r name pid <<<"${lines[i]}"
        if pid_alive "$name" "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            alive+=("$name $pid")
        fi
    done
    local tries
    for ((tries = 0; tries < 50; tries++)); do
        local still=()
        for entry in "${alive[@]+"${alive[@]}"}"; do
            read -r name pid <<<"$entry"
            pid_alive "$name" "$pid" && still+=("$entry")
        done
        alive=("${still[@]+"${still[@]}"}")
        ((${#alive[@]} == 0)) && break
        sleep 0.1
    done
    for entry in "${alive[@]+"${alive[@]}"}"; do
        read -r name pid <<<"$entry"
        log "$name (pid $pid) ignored TERM; sending KILL"
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -f "$STATE_DIR/pids"
}

cmd_stop() {
    [[ -d "$STATE_DIR" ]] || die "no such state dir: $STATE_DIR"
    STATE_DIR="$(cd "$STATE_DIR" && pwd -P)"
    if [[ ! -f "$STATE_DIR/pids" ]]; then
        log "no $STATE_DIR/pids; nothing to stop"
        return 0
    fi
    # Best effort: cancel jobs still in the cluster so their slurmstepd
    # processes exit on their own (we only ever kill the recorded pids).
    if [[ -f "$STATE_DIR/slurm.conf" ]]; then
        local jobs
        jobs="$(SLURM_CONF="$STATE_DIR/slurm.conf" timeout 10 squeue -h -o %A 2>/dev/null || true)"
        if [[ -n "$jobs" ]]; then
            log "cancelling leftover jobs: ${jobs//$'\n'/ }"
            # shellcheck disable=SC2086
            SLURM_CONF="$STATE_DIR/slurm.conf" timeout 10 scancel $jobs >&2 || true
            local i
            for ((i = 0; i < 30; i++)); do   # until they left the queue (max ~15 s)
                jobs="$(SLURM_CONF="$STATE_DIR/slurm.conf" timeout 5 squeue -h -o %A 2>/dev/null || true)"
                [[ -z "$jobs" ]] && break
                sleep 0.5
            done
        fi
    fi
    kill_recorded
    log "stopped cluster in $STATE_DIR"
}

# ---------------------------------------------------------------- main

[[ $# -eq 2 ]] || usage
STATE_DIR="$2"
case "$1" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    *) usage ;;
esac
