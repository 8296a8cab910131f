#!/usr/bin/env bash
# Runs the examples of README.md and docs/REFERENCE.md against real servers and fails when one fails.
#
#   bash scripts/check-readme.sh [--no-build | --debug] [--show] [FILE.md ...]
#
# A fenced ```bash block preceded by a marker line is checked:
#   <!-- check: setup -->            the block runs as is (bash -e) in a scratch folder holding `examples/`,
#                                    with `serve` on PATH: it makes the stores and files the servers use
#   <!-- check: SERVER [STATUS] -->  every `curl` command of the block (lines ending in `\` joined) runs
#                                    against SERVER, and must answer STATUS (default: any 2xx)
# Servers (each started once per file, on a free port that replaces 8080 in the commands, in the file's own
# scratch folder):
#   models   serve run examples/interop/graph.json
#   service  serve run service.json --store service.db (a service file a setup block made)
#   demo     serve demo --data-dir demo --accounts 50 --days 2 (examples/fraud on a small generated store)
#   enrich   serve run examples/enrich/serve.json --store enrich.db [--feature-vector vector.json, if made]
#   feast    serve run examples/feast/serve.json --store feast.db
#   parallel serve run examples/graphs/parallel-run.json
# Blocks run in file order, so the setup blocks and ingests before a read are what the read sees.
# When a checked block is followed at once by another fenced block (the answer shown), the output (the answer
# bodies, or the setup block's stdout) must match it; `…` there stands for any text (ids, times, cut parts).
# --show prints each command's answer (to paste into the docs); --no-build uses .build/release/serve;
# --debug builds and uses .build/debug/serve (what .ci/run already built).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=lib/bench-common.sh
source scripts/lib/bench-common.sh

build=1 show=0 config=release files=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) build=0 ;;
        --debug) config=debug ;;
        --show) show=1 ;;
        -h | --help) sed -n '2,/^# --debug/p' "$0"; exit 0 ;;
        *) files+=("$1") ;;
    esac
    shift
done
[[ ${#files[@]} -gt 0 ]] || files=(README.md docs/REFERENCE.md)

if [[ $build == 1 ]]; then swift build -c "$config" --product serve >&2; fi
[[ -x .build/$config/serve ]] || bench_die "no .build/$config/serve (run without --no-build)"

bench_init
mkdir -p "$BENCH_TMP/bin"
ln -s "$root/.build/$config/serve" "$BENCH_TMP/bin/serve"
export PATH="$BENCH_TMP/bin:$PATH"

declare -A ports=()
failures=0 checked=0 work=""

# fresh_scratch N: a new scratch folder for the next file, with no server running.
fresh_scratch() {
    local pid
    for pid in "${BENCH_PIDS[@]}"; do bench_stop_pid "$pid"; done
    BENCH_PIDS=()
    ports=()
    work=$BENCH_TMP/work-$1
    mkdir -p "$work"
    ln -s "$root/examples" "$work/examples"
}

# start_server NAME: starts the named server in the scratch folder and records its port.
start_server() {
    local name=$1 port args=()
    case "$name" in
        service) args=(service.json --store service.db) ;;
        demo) args=(--data-dir demo --accounts 50 --days 2) ;;
        models) args=(examples/interop/graph.json) ;;
        enrich)
            args=(examples/enrich/serve.json --store enrich.db)
            if [[ -f $work/vector.json ]]; then args+=(--feature-vector vector.json); fi
            ;;
        feast) args=(examples/feast/serve.json --store feast.db) ;;
        parallel) args=(examples/graphs/parallel-run.json) ;;
        *) bench_die "unknown server '$name'" ;;
    esac
    local log=$BENCH_TMP/$name-$RANDOM.log pid command=run
    [[ $name == demo ]] && command=demo
    # Created here, not by the background shell's redirection: on a loaded machine the first read below can
    # come before that shell has run, and sed on a missing file would end the script (set -e).
    : >"$log"
    (cd "$work" && exec serve "$command" "${args[@]}" --port 0 --loops 1) >>"$log" 2>&1 &
    pid=$!
    BENCH_PIDS+=("$pid")
    # --port 0: the kernel picks a free port, which the `ready` log line names.
    for _ in $(seq 600); do
        port=$(sed -nE 's/.* ready address=http:\/\/127\.0\.0\.1:([0-9]+).*/\1/p' "$log")
        [[ -z $port ]] && kill -0 "$pid" 2>/dev/null && { sleep 0.1; continue; }
        break
    done
    [[ -n $port ]] || { cat "$log" >&2; bench_die "server $name did not start"; }
    ports[$name]=$port
}

# run_curl SERVER STATUS COMMAND: runs one curl command against SERVER; STATUS empty means any 2xx.
run_curl() {
    local name=$1 expected=$2 command=$3 status body
    [[ -n "${ports[$name]:-}" ]] || start_server "$name"
    command=${command//127.0.0.1:8080/127.0.0.1:${ports[$name]}}
    command=${command//localhost:8080/127.0.0.1:${ports[$name]}}
    checked=$((checked + 1))
    body=$BENCH_TMP/body
    status=$(cd "$work" && eval "$command -sS -o '$body' -w '%{http_code}'") || status="curl-failed"
    cat "$body" >>"$BENCH_TMP/actual"
    [[ ! -s $body || $(tail -c 1 "$body") == "" ]] || echo >>"$BENCH_TMP/actual"
    if [[ $show == 1 ]]; then
        printf '$ %s\n' "$3"
        printf '%s  %s\n\n' "$status" "$(head -c 1500 "$body")"
    fi
    if { [[ -z $expected ]] && [[ $status != 2?? ]]; } || { [[ -n $expected ]] && [[ $status != "$expected" ]]; }; then
        printf 'FAIL [%s] %s\n  expected %s, got %s: %s\n' "$name" "$3" "${expected:-2xx}" "$status" \
            "$(head -c 400 "$body")" >&2
        failures=$((failures + 1))
    fi
}

# compare_answer FILE LINE ANSWER: the last block's output against the answer block shown after it.
compare_answer() {
    printf '%s' "$3" >"$BENCH_TMP/expected"
    if ! python3 - "$BENCH_TMP/expected" "$BENCH_TMP/actual" <<'PY'; then
import re, sys
def lines(path):
    text = open(path, encoding="utf-8").read().replace("\r", "")
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
expected, actual = lines(sys.argv[1]), lines(sys.argv[2])
pattern = ".*?".join(re.escape(part) for part in expected.split("…"))
sys.exit(0 if re.fullmatch(pattern, actual, re.DOTALL) else 1)
PY
        printf 'FAIL [answer] %s, the answer block at line %s differs from the output:\n%s\n' "$1" "$2" \
            "$(head -c 1500 "$BENCH_TMP/actual")" >&2
        failures=$((failures + 1))
    fi
}

# check_block FILE MARKER LINES: runs one marked block.
check_block() {
    local file=$1 marker=$2 block=$3 name expected command="" line
    read -r name expected <<<"$marker"
    : >"$BENCH_TMP/actual"
    if [[ $name == setup ]]; then
        checked=$((checked + 1))
        [[ $show == 1 ]] && printf '$ (setup, %s)\n%s\n\n' "$file" "$block"
        if ! (cd "$work" && bash -e -c "$block") >"$BENCH_TMP/actual" 2>"$BENCH_TMP/setup.err"; then
            printf 'FAIL [setup] in %s:\n%s\n' "$file" "$(cat "$BENCH_TMP/actual" "$BENCH_TMP/setup.err")" >&2
            failures=$((failures + 1))
        elif [[ $show == 1 ]]; then
            head -c 1500 "$BENCH_TMP/actual"; echo
        fi
        return
    fi
    while IFS= read -r line; do
        if [[ $line == *'\' ]]; then command+="${line%\\} "; continue; fi
        command+=$line
        command=$(sed -E 's/^[[:space:]]+//' <<<"$command")
        if [[ $command == curl* ]]; then run_curl "$name" "$expected" "$command"; fi
        command=""
    done <<<"$block"
}

for index in "${!files[@]}"; do
    file=${files[$index]}
    fresh_scratch "$index"
    marker="" in_block=0 block="" answer_state=0 answer="" number=0 answer_line=0
    while IFS= read -r line; do
        number=$((number + 1))
        if [[ $answer_state == 2 ]]; then
            if [[ $line == '```'* ]]; then
                compare_answer "$file" "$answer_line" "$answer"
                answer_state=0 answer=""
            else
                answer+="$line"$'\n'
            fi
            continue
        fi
        if [[ $answer_state == 1 ]]; then
            answer_state=0
            if [[ $line == '```'* ]]; then answer_state=2 answer_line=$number; continue; fi
        fi
        if [[ $in_block == 1 ]]; then
            if [[ $line == '```'* ]]; then
                check_block "$file" "$marker" "$block"
                in_block=0 marker="" block="" answer_state=1
            else
                block+="$line"$'\n'
            fi
        elif [[ $line =~ ^\<\!--\ check:\ (.*)\ --\>$ ]]; then
            marker=${BASH_REMATCH[1]}
        elif [[ -n $marker && $line == '```bash' ]]; then
            in_block=1
        elif [[ -n $line ]]; then
            marker=""
        fi
    done <"$file"
done

echo "checked $checked example blocks and commands; $failures failed" >&2
[[ $failures == 0 ]]
