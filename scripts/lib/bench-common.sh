# Shared pieces of the benchmark protocol (docs/BENCHMARKS.md), sourced by scripts/bench-*.sh.
#
# Servers run pinned to CPU 0, load generators to CPU 1. Every process started through
# bench_start_pinned is remembered and killed by bench_cleanup, which bench_init installs as the
# EXIT trap. Functions print values on stdout and diagnostics on stderr.
# shellcheck shell=bash

BENCH_SERVER_CPU=${BENCH_SERVER_CPU:-0}
BENCH_CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
BENCH_PIDS=()
BENCH_COMMANDS=()
BENCH_TMP=""

bench_log() { printf '[bench] %s\n' "$*" >&2; }
bench_die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# bench_init: make the temp dir ($BENCH_TMP) and install the cleanup trap.
bench_init() {
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

# bench_cleanup: kill every process we started (TERM, then KILL), remove the temp dir
# (kept when BENCH_KEEP_TMP=1).
bench_cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]}"; do bench_stop_pid "$pid"; done
    bench_dump_results
    BENCH_PIDS=()
    if [[ -n "$BENCH_TMP" && -d "$BENCH_TMP" ]]; then
        if [[ "${BENCH_KEEP_TMP:-0}" == 1 ]]; then bench_log "kept $BENCH_TMP"; else rm -rf "$BENCH_TMP"; fi
    fi
}

# bench_stop_pid PID: TERM the process, wait up to 5 s, then KILL it.
bench_stop_pid() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

# bench_record CMD...: remember a command line for the "commands run" section.
bench_record() { BENCH_COMMANDS+=("$*"); }

# bench_print_commands: the exact commands recorded, one per line, as a markdown code block.
bench_print_commands() {
    local command
    echo '```'
    for command in "${BENCH_COMMANDS[@]}"; do echo "$command"; done
    echo '```'
}

# bench_require_tools: install wrk, nginx-light, taskset (util-linux), ps/pgrep (procps) and GNU time
# (/usr/bin/time, for batch commands' CPU and peak RSS) if missing.
bench_require_tools() {
    local missing=() packages=()
    command -v wrk >/dev/null || { missing+=(wrk); packages+=(wrk); }
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || { missing+=(nginx); packages+=(nginx-light); }
    command -v taskset >/dev/null || { missing+=(taskset); packages+=(util-linux); }
    { command -v pgrep >/dev/null && command -v ps >/dev/null; } || { missing+=(pgrep); packages+=(procps); }
    [[ -x /usr/bin/time ]] || { missing+=(/usr/bin/time); packages+=(time); }
    [[ ${#packages[@]} -eq 0 ]] && return 0
    bench_log "installing ${packages[*]} (missing: ${missing[*]})"
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq >&2 || bench_die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >&2 \
        || bench_die "apt-get install ${packages[*]} failed"
}

# bench_free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
bench_free_port() {
    local port
    # Below the kernel's ephemeral range (32768-60999 by default): a port there can be held by an
    # outgoing connection (wrk's, a peer's) that a listening probe does not see, and bind then fails.
    local low=20000 high=32767 range
    if read -r range _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null && ((range > low + 1000)); then
        high=$((range - 1))
    fi
    for _ in $(seq 100); do
        port=$((low + RANDOM % (high - low)))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    done
    bench_die "no free port found"
}

# bench_start_pinned CPU LOG CMD...: start CMD in the background pinned to CPU, stdout+stderr to LOG.
# Sets BENCH_LAST_PID (the pid of CMD itself: taskset execs it).
bench_start_pinned() {
    local cpu=$1 log=$2
    shift 2
    bench_record "taskset -c $cpu $*"
    : >"$log" # exists before the caller first reads it (the background shell may not have run yet)
    taskset -c "$cpu" "$@" >>"$log" 2>&1 &
    BENCH_LAST_PID=$!
    BENCH_PIDS+=("$BENCH_LAST_PID")
}

# bench_run_pinned CPU LOG CMD...: run CMD pinned to CPU until it ends, output to LOG; returns its status.
# It runs in the background and is waited for, so a TERM/INT to the script interrupts the wait and
# the cleanup trap kills CMD too (a foreground child would delay the trap until it finished).
bench_run_pinned() {
    local cpu=$1 log=$2 pid status
    shift 2
    taskset -c "$cpu" "$@" >"$log" 2>&1 &
    pid=$!
    BENCH_PIDS+=("$pid")
    wait "$pid"
    status=$?
    local kept=() other
    for other in "${BENCH_PIDS[@]}"; do [[ $other == "$pid" ]] || kept+=("$other"); done
    BENCH_PIDS=("${kept[@]}")
    return "$status"
}

# bench_wait_for_port PORT PID [SECONDS]: wait until 127.0.0.1:PORT accepts connections.
# Fails (status 1) if PID exits first or the time runs out (default 15 s).
bench_wait_for_port() {
    local port=$1 pid=$2 seconds=${3:-15}
    for _ in $(seq $((seconds * 10))); do
        kill -0 "$pid" 2>/dev/null || return 1
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    return 1
}

# bench_idle_percent [SECONDS]: idle share of all CPUs over SECONDS (default 1), from /proc/stat.
# Benchmarks on a shared machine print it so a noisy run is visible as such.
bench_idle_percent() {
    local a b c d e f g h t1 i1
    read -r _ a b c d e f g h _ </proc/stat
    t1=$((a + b + c + d + e + f + g + h)) i1=$((d + e))
    sleep "${1:-1}"
    read -r _ a b c d e f g h _ </proc/stat
    echo $((100 * (d + e - i1) / (a + b + c + d + e + f + g + h - t1)))
}

# bench_pid_tree PID: PID and all its descendants (nginx: master and workers).
bench_pid_tree() {
    local pid=$1 child
    echo "$pid"
    for child in $(pgrep -P "$pid" 2>/dev/null); do bench_pid_tree "$child"; done
}

# bench_cpu_ticks PID: utime+stime (clock ticks, all threads) summed over PID's tree, from /proc/PID/stat.
bench_cpu_ticks() {
    local total=0 pid stat rest fields
    for pid in $(bench_pid_tree "$1"); do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        rest=${stat##*) }          # drop "pid (comm) ", comm may hold spaces
        read -r -a fields <<<"$rest"
        total=$((total + fields[11] + fields[12]))   # fields 14 and 15 of stat: utime, stime
    done
    echo "$total"
}

# bench_rss_kib PID: VmRSS summed over PID's tree, in KiB (shared pages counted once per process).
bench_rss_kib() {
    local total=0 pid rss
    for pid in $(bench_pid_tree "$1"); do
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
        total=$((total + ${rss:-0}))
    done
    echo "$total"
}

# bench_cpu_us_per_request TICKS REQUESTS: CPU µs per request from a tick delta.
bench_cpu_us_per_request() {
    awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { if (n > 0) printf "%.2f", t * 1e6 / hz / n; else print "n/a" }'
}

# bench_run_wrk LOG URL DURATION [WRK ARGS...]: closed-loop wrk run pinned to the client CPU.
bench_run_wrk() {
    local log=$1 url=$2 duration=$3
    shift 3
    bench_record "taskset -c $BENCH_CLIENT_CPU wrk -t1 -c32 -d${duration}s --latency${*:+ $*} $url"
    bench_run_pinned "$BENCH_CLIENT_CPU" "$log" wrk -t1 -c32 -d"${duration}s" --latency "$@" "$url" \
        || { cat "$log" >&2; return 1; }
}

# bench_wrk_requests LOG: total requests wrk completed ("N requests in Ts").
bench_wrk_requests() { awk '/ requests in / { print $1 }' "$1"; }

# bench_wrk_rate LOG: wrk's Requests/sec.
bench_wrk_rate() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }

# bench_wrk_errors LOG: socket errors plus non-2xx/3xx responses wrk reported.
bench_wrk_errors() {
    awk '/Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 }
         /Non-2xx or 3xx responses:/ { n += $5 }
         END { print n + 0 }' "$1"
}

# bench_wrk_percentile_us LOG PCT: wrk's latency percentile (50, 75, 90, 99) in µs.
bench_wrk_percentile_us() {
    awk -v p="$2%" '$1 == p && NF == 2 {
        v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v)
        f = unit == "us" ? 1 : unit == "ms" ? 1000 : unit == "s" ? 1e6 : unit == "m" ? 6e7 : 0
        printf "%.1f", v * f }' "$1"
}

# bench_run_openloop LOG BIN URL RATE DURATION [OPENLOOP ARGS...]: open-loop run pinned to the client CPU.
bench_run_openloop() {
    local log=$1 bin=$2 url=$3 rate=$4 duration=$5
    shift 5
    bench_record "taskset -c $BENCH_CLIENT_CPU $bin --url $url --rate $rate --duration $duration --connections 32${*:+ $*}"
    bench_run_pinned "$BENCH_CLIENT_CPU" "$log" "$bin" --url "$url" --rate "$rate" --duration "$duration" \
        --connections 32 "$@" || { cat "$log" >&2; return 1; }
}

# bench_result_field LOG NAME: a field of OpenLoop's "RESULT k=v ..." line (rate, p50_us, p99_us, errors...).
bench_result_field() {
    awk -v k="$2" '/^RESULT / { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$1"
}

# bench_ratio A B: A/B with two decimals, "n/a" when either is missing or B is zero.
bench_ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'
}

# bench_check LABEL OURS OP LIMIT: prints "PASS"/"FAIL" line for OURS OP LIMIT (OP is <= or >=);
# returns 1 on FAIL, 2 when a value is missing (printed as SKIP).
bench_check() {
    local label=$1 ours=$2 op=$3 limit=$4 verdict
    if [[ -z "$ours" || "$ours" == n/a || -z "$limit" || "$limit" == n/a ]]; then
        echo "SKIP $label (no measurement)"
        return 2
    fi
    verdict=$(awk -v a="$ours" -v b="$limit" -v op="$op" \
        'BEGIN { ok = op == "<=" ? a + 0 <= b + 0 : a + 0 >= b + 0; print ok ? "PASS" : "FAIL" }')
    echo "$verdict $label: $ours $op $limit"
    [[ $verdict == PASS ]]
}

# bench_nginx_config DIR PORT PATH: write an nginx.conf under DIR serving an empty 200 at PATH on
# 127.0.0.1:PORT: one worker, no daemon, no access log, pid/error log/temp paths all under DIR.
# Keep-alive is unlimited so neither load generator sees the peer close busy connections.
bench_nginx_config() {
    local dir=$1 port=$2 path=$3
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    server {
        listen 127.0.0.1:$port;
        location = $path { return 200; }
    }
}
EOF
    echo "$dir/nginx.conf"
}

# bench_nginx_binary: path of nginx (it lives in /usr/sbin, which a non-root PATH may lack).
bench_nginx_binary() { command -v nginx || echo /usr/sbin/nginx; }

# BENCH_RESULTS[server.key] holds what the measure functions found (rps, requests, cpu_us, wrk_errors,
# p50_us, p99_us, p999_us, open_rate, open_errors, rss_kib).
declare -gA BENCH_RESULTS=()

# bench_measure_closed_loop NAME PID URL DURATION WARMUP [WRK ARGS...]: a WARMUP-second wrk run,
# then the measured one; records req/s and server CPU µs per request (CPU ticks of PID's tree
# across the measured run divided by the requests wrk completed).
bench_measure_closed_loop() {
    local name=$1 pid=$2 url=$3 duration=$4 warmup=$5 before after requests log
    shift 5
    log="$BENCH_TMP/$name.wrk.log"
    if [[ "$warmup" != 0 ]]; then bench_run_wrk "$BENCH_TMP/$name.warmup.log" "$url" "$warmup" "$@" || return 1; fi
    before=$(bench_cpu_ticks "$pid")
    bench_run_wrk "$log" "$url" "$duration" "$@" || return 1
    after=$(bench_cpu_ticks "$pid")
    requests=$(bench_wrk_requests "$log")
    BENCH_RESULTS[$name.requests]=$requests
    BENCH_RESULTS[$name.rps]=$(bench_wrk_rate "$log")
    BENCH_RESULTS[$name.cpu_us]=$(bench_cpu_us_per_request $((after - before)) "$requests")
    BENCH_RESULTS[$name.wrk_errors]=$(bench_wrk_errors "$log")
    BENCH_RESULTS[$name.wrk_p99_us]=$(bench_wrk_percentile_us "$log" 99)
    bench_log "$name: ${BENCH_RESULTS[$name.rps]} req/s, ${BENCH_RESULTS[$name.cpu_us]} CPU µs/req" \
        "($((after - before)) ticks over $requests requests)"
}

# bench_measure_open_loop NAME PID OPENLOOP URL RATE DURATION [OPENLOOP ARGS...]: the open-loop run,
# then the server's RSS.
bench_measure_open_loop() {
    local name=$1 pid=$2 bin=$3 url=$4 rate=$5 duration=$6 log
    shift 6
    log="$BENCH_TMP/$name.openloop.log"
    bench_run_openloop "$log" "$bin" "$url" "$rate" "$duration" "$@" || return 1
    local key
    for key in p50_us p99_us p999_us errors rate; do
        BENCH_RESULTS[$name.$key]=$(bench_result_field "$log" "$key")
    done
    BENCH_RESULTS[$name.rss_kib]=$(bench_rss_kib "$pid")
    bench_log "$name: open loop at $rate req/s: p50 ${BENCH_RESULTS[$name.p50_us]} µs," \
        "p99 ${BENCH_RESULTS[$name.p99_us]} µs, p999 ${BENCH_RESULTS[$name.p999_us]} µs," \
        "errors ${BENCH_RESULTS[$name.errors]}"
}

# bench_result NAME KEY: a recorded result, or "n/a".
bench_result() { local value=${BENCH_RESULTS[$1.$2]:-}; echo "${value:-n/a}"; }

# bench_median_rounds NAME ROUNDS KEY...: BENCH_RESULTS[NAME.KEY] = median of NAME.r1.KEY ... NAME.rROUNDS.KEY
# (numeric values only; left unset when no round has one).
bench_median_rounds() {
    local name=$1 rounds=$2 key round median
    shift 2
    for key in "$@"; do
        median=$(for round in $(seq "$rounds"); do echo "${BENCH_RESULTS[$name.r$round.$key]:-}"; done \
            | grep -E '^[0-9]+([.][0-9]+)?$' | sort -g \
            | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else if (NR) printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
        [[ -n $median ]] && BENCH_RESULTS[$name.$key]=$median
    done
    return 0
}

# bench_sum_rounds NAME ROUNDS KEY...: BENCH_RESULTS[NAME.KEY] = sum over the rounds that have a value.
bench_sum_rounds() {
    local name=$1 rounds=$2 key round sum found
    shift 2
    for key in "$@"; do
        sum=0 found=0
        for round in $(seq "$rounds"); do
            local value=${BENCH_RESULTS[$name.r$round.$key]:-}
            [[ $value =~ ^[0-9]+$ ]] && sum=$((sum + value)) found=1
        done
        [[ $found == 1 ]] && BENCH_RESULTS[$name.$key]=$sum
    done
    return 0
}

# bench_dump_results: when BENCH_RESULTS_FILE is set, write every BENCH_RESULTS entry to it as
# "name.key<TAB>value" lines (scripts/bench.sh reads them); the cleanup trap calls it.
bench_dump_results() {
    [[ -n "${BENCH_RESULTS_FILE:-}" ]] || return 0
    local key
    for key in "${!BENCH_RESULTS[@]}"; do printf '%s\t%s\n' "$key" "${BENCH_RESULTS[$key]}"; done \
        | sort >"$BENCH_RESULTS_FILE"
}

# --- peers in Python venvs (Feast, KServe), one venv per peer under .venv-bench/ -------------------------
# shellcheck disable=SC2034 # read by the scripts that source this file
BENCH_FEAST_VERSION=0.67.0
# shellcheck disable=SC2034
BENCH_KSERVE_VERSION=0.21.0
BENCH_VENV_ROOT=${BENCH_VENV_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.venv-bench}

# bench_venv NAME PACKAGE==VERSION...: the venv $BENCH_VENV_ROOT/NAME holding these pinned packages,
# created and installed when missing or when the pins changed (a stamp file records them); prints its
# directory. Run it outside $(...) so bench_record and bench_die act on the script itself.
bench_venv() {
    local dir=$BENCH_VENV_ROOT/$1
    shift
    local want="$*"
    if ! "$dir/bin/python" -c 'import sys' 2>/dev/null; then
        rm -rf "$dir"
        bench_record "python3 -m venv $dir"
        python3 -m venv "$dir" >&2 || bench_die "python3 -m venv $dir failed (install python3-venv)"
    fi
    if [[ $(cat "$dir/.bench-installed" 2>/dev/null) != "$want" ]]; then
        bench_record "$dir/bin/pip install $want"
        bench_log "installing $want into $dir (a few minutes the first time)"
        "$dir/bin/pip" install -q --disable-pip-version-check "$@" >&2 || bench_die "pip install $want failed"
        echo "$want" >"$dir/.bench-installed"
    fi
    # shellcheck disable=SC2034 # the caller's result
    BENCH_VENV_DIR=$dir
}

# bench_pip_version VENV PACKAGE: the installed version of PACKAGE in VENV (from pip show).
bench_pip_version() { "$1/bin/pip" show "$2" 2>/dev/null | awk '/^Version:/ { print $2 }'; }

# bench_feast_start VENV REPO PORT LOG: `feast serve` (Feast's own Python feature server) for the feature
# repo REPO on 127.0.0.1:PORT, pinned to the server CPU: one worker, no access log, and no worker
# restart every 1000 requests (Feast's default), which would also lose the old worker's CPU ticks.
# Sets BENCH_LAST_PID (the gunicorn master; its worker is a child, counted by bench_cpu_ticks).
bench_feast_start() {
    local venv=$1 repo=$2 port=$3 log=$4
    bench_start_pinned "$BENCH_SERVER_CPU" "$log" "$venv/bin/feast" -c "$repo" serve -h 127.0.0.1 -p "$port" \
        --no-access-log --workers 1 --max-requests 0 --max-requests-jitter 0
}
