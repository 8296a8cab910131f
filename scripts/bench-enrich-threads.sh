#!/usr/bin/env bash
# Per-thread CPU of the durable fraud graph: where a request's CPU goes (store writer, checkpointer, event loop).
# Uses a directory kept by `BENCH_KEEP_TMP=1 bash scripts/bench-enrich.sh ...` (bench.db, serve.json, fraud.lua):
# copies its store, starts `serve run --loops 1` on CPU 0, warms up with wrk -c32 for 1 s on CPU 1, then runs wrk
# for --duration seconds and prints, per server thread, CPU µs (and the kernel part), context switches, write(2)/read(2) calls and
# bytes written per request (from /proc/PID/task/*/{stat,status,io}).
#
# usage: scripts/bench-enrich-threads.sh DIR [--serve PATH] [--duration S] [--port P] [-- extra serve run args]
set -euo pipefail
DIR=${1:?usage: scripts/bench-enrich-threads.sh DIR [--serve PATH] [--duration S] [--port P] [-- args]}
shift
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVE="$ROOT/.build/release/serve"
DURATION=5
PORT=39213
EXTRA=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --serve) SERVE=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --) shift; EXTRA=("$@"); break ;;
        *) echo "unknown option '$1'" >&2; exit 1 ;;
    esac
done
for f in bench.db serve.json fraud.lua; do
    [[ -f $DIR/$f ]] || { echo "$DIR/$f is missing (keep a bench-enrich.sh run with BENCH_KEEP_TMP=1)" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp "$DIR/bench.db" "$WORK/store.db"
taskset -c 0 "$SERVE" run "$DIR/serve.json" --store "$WORK/store.db" --loops 1 --port "$PORT" --log-level warning \
    "${EXTRA[@]}" >"$WORK/serve.out" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -sf "localhost:$PORT/v2/health/ready" >/dev/null && break; sleep 0.2; done
taskset -c 1 wrk -t1 -c32 -d1s -s "$DIR/fraud.lua" "http://127.0.0.1:$PORT/" >/dev/null
snapshot() {
    python3 - "$PID" <<'PY'
import json, os, sys
pid = sys.argv[1]; out = {}
for t in os.listdir(f"/proc/{pid}/task"):
    stat = open(f"/proc/{pid}/task/{t}/stat").read().rsplit(")", 1)[1].split()
    tick = 1_000_000 // os.sysconf("SC_CLK_TCK")
    d = {"cpu_us": (int(stat[11]) + int(stat[12])) * tick, "sys_us": int(stat[12]) * tick}
    for line in open(f"/proc/{pid}/task/{t}/status"):
        k, _, v = line.partition(":")
        if k in ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"): d[k.split("_")[0]] = int(v)
    for line in open(f"/proc/{pid}/task/{t}/io"):
        k, _, v = line.partition(":")
        if k in ("syscr", "syscw", "wchar"): d[k] = int(v)
    out[t] = d
print(json.dumps(out))
PY
}
snapshot >"$WORK/before.json"
REQUESTS=$(taskset -c 1 wrk -t1 -c32 -d"${DURATION}s" -s "$DIR/fraud.lua" "http://127.0.0.1:$PORT/" \
    | awk '/requests in/ {print $1}')
snapshot >"$WORK/after.json"
echo "command: taskset -c 0 $SERVE run serve.json --loops 1 ${EXTRA[*]}; taskset -c 1 wrk -t1 -c32 -d${DURATION}s -s fraud.lua"
python3 - "$REQUESTS" "$DURATION" "$WORK/before.json" "$WORK/after.json" <<'PY'
import json, sys
n, seconds = int(sys.argv[1]), float(sys.argv[2])
a, b = json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
print(f"{n} requests, {n / seconds:.0f} req/s\n")
print("| thread | CPU µs/req | of which kernel | voluntary / involuntary switches per req | write(2) / read(2) per req | bytes written per req |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
total = 0
for t in sorted(b):
    if t not in a: continue
    d = {k: b[t][k] - a[t][k] for k in b[t]}
    if d["cpu_us"] == 0: continue
    total += d["cpu_us"]
    print(f"| {t} | {d['cpu_us'] / n:.2f} | {d['sys_us'] / n:.2f} | {d['voluntary'] / n:.3f} / {d['nonvoluntary'] / n:.3f} "
          f"| {d['syscw'] / n:.2f} / {d['syscr'] / n:.2f} | {d['wchar'] / n:.0f} |")
print(f"| total | {total / n:.2f} | | | | |")
PY
