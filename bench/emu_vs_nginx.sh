#!/usr/bin/env bash
# Requests per second and latency through an emulated ClusterIP, side by side with nginx as a
# plain TCP (stream) proxy in front of the same pod, and with the pod reached directly.
# Needs wrk and nginx (apt-get install -y wrk nginx). Results go to stdout as a Markdown table.
#
#   bench/emu_vs_nginx.sh [BUILD_DIR] [DURATION] [CONNECTIONS] [ROUNDS]
# The emulator and nginx both get 2 threads/workers; wrk gets 1 thread. Rounds alternate the
# three targets so background load hits them alike; the median of the rounds is reported.
set -euo pipefail
BUILD=${1:-build}
DUR=${2:-10s}
CONN=${3:-64}
ROUNDS=${4:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KN=$BUILD/sim/cli/knetsim
[[ -x $KN ]] || { echo "no $KN: build the knetsim target first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 2; }
command -v nginx >/dev/null || { echo "nginx missing: apt-get install -y nginx" >&2; exit 2; }
NGX_STREAM=/usr/lib/nginx/modules/ngx_stream_module.so
OFF=26000
TMP=$(mktemp -d)
cleanup() {
  [[ -n ${EPID:-} ]] && kill "$EPID" 2>/dev/null && wait "$EPID" 2>/dev/null || true
  [[ -f $TMP/nginx.pid ]] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

"$KN" emulate "$ROOT/scenarios/bench-clusterip.yaml" --port-offset $OFF --time-scale 0 \
  --threads 2 --state "$TMP/state.json" -q &
EPID=$!
for _ in $(seq 100); do [[ -s $TMP/state.json ]] && break; sleep 0.1; done
read -r POD VIP < <(python3 -c "
import json,sys; s=json.load(open('$TMP/state.json'))
pod=[v['loopback'] for k,v in s['pods'].items() if k.startswith('default/web-')][0]
print(pod, s['services']['default/web']['loopback'])")
POD_PORT=$((8080 + OFF)); VIP_PORT=$((80 + OFF)); NGX_ADDR=127.0.0.2; NGX_PORT=$((81 + OFF))

cat > "$TMP/nginx.conf" <<NGX
load_module $NGX_STREAM;
worker_processes 2;
pid $TMP/nginx.pid;
error_log $TMP/error.log;
events { worker_connections 8192; }
stream {
  server { listen $NGX_ADDR:$NGX_PORT; proxy_pass $POD:$POD_PORT; }
}
NGX
nginx -c "$TMP/nginx.conf" -p "$TMP"
sleep 0.5

run() {  # name url -> "rps avg_ms p50_ms p99_ms"
  wrk -t1 -c"$CONN" -d"$DUR" --latency "$2" | python3 -c "
import re,sys
t=sys.stdin.read()
def ms(v):
  n=float(re.match(r'[\d.]+',v).group()); u=v[len(re.match(r'[\d.]+',v).group()):]
  return n*{'us':1e-3,'ms':1,'s':1e3}[u]
rps=float(re.search(r'Requests/sec:\s+([\d.]+)',t).group(1))
avg=ms(re.search(r'Latency\s+(\S+)',t).group(1))
p50=ms(re.search(r'50%\s+(\S+)',t).group(1)); p99=ms(re.search(r'99%\s+(\S+)',t).group(1))
err=re.search(r'Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)',t)
print(f'{rps:.0f} {avg:.3f} {p50:.3f} {p99:.3f}' + (' ERR' if err else ''))"
}

declare -A R
for round in $(seq "$ROUNDS"); do
  R[direct]+="$(run direct "http://$POD:$POD_PORT/hostname");"
  R[nginx]+="$(run nginx "http://$NGX_ADDR:$NGX_PORT/hostname");"
  R[emu]+="$(run emu "http://$VIP:$VIP_PORT/hostname");"
done

median() { tr ';' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }
echo "| target | requests/s | avg ms | p50 ms | p99 ms | rounds (requests/s) |"
echo "|---|---|---|---|---|---|"
for k in direct nginx emu; do
  m=$(echo "${R[$k]}" | median)
  all=$(echo "${R[$k]}" | tr ';' '\n' | sed '/^$/d' | awk '{printf "%s%s", (NR>1?", ":""), $1}')
  read -r rps avg p50 p99 _ <<<"$m"
  echo "| $k | $rps | $avg | $p50 | $p99 | $all |"
done
EMU=$(echo "${R[emu]}" | median | awk '{print $1}')
NGX=$(echo "${R[nginx]}" | median | awk '{print $1}')
python3 -c "print(f'emulated ClusterIP / nginx stream proxy: {100*$EMU/$NGX:.0f}% of nginx throughput')"
echo "(wrk -t1 -c$CONN -d$DUR, keep-alive GET /hostname; emulator --threads 2 --time-scale 0; nginx 2 workers; $(nproc) cores; $(uptime | sed 's/.*load/load/'))"
