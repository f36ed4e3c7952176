#!/usr/bin/env bash
# Benchmark interoperability tiers on the whole APIs.guru 2022 corpus, with every API put in one
# system of its organisation (so the largest system has hundreds of APIs, far more than any
# policing system), judged under the standard in force:
#   - the search rebuild (`pac reindex`) before and after the APIs join systems: what judging
#     every system's tier for its APIs' documents adds;
#   - reads: `GET /api/v1/systems?limit=100` (every system's tier), the largest system's
#     `/tier` and its page, p50/p99;
#   - writes, with search catch-up: a change to one API of the largest system that leaves the tier
#     where it is (catch-up checks the tier indexed for each API of the system), and a change of
#     the system's visibility that moves the tier of every API of it (all are indexed again).
# And the tiers the corpus's systems reach.
#
# Usage: scripts/bench-tiers.sh [STORE_DIR]
#   STORE_DIR (default /tmp/pac-bench-tiers) keeps the imported, evaluated corpus between runs; it
#   is imported first when empty (the corpus is unpacked to /tmp/apis-guru if missing). The
#   benchmark's systems (slugs `sys-…`) are made with SQL and removed at the start of each run.
#   RUNS (default 3) rebuilds timed each way; REQUESTS (default 50) per read measured;
#   PORT (default 18082). Needs curl, python3 and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."

store=${1:-/tmp/pac-bench-tiers}
port=${PORT:-18082}
runs=${RUNS:-3}
requests=${REQUESTS:-50}
corpus=/tmp/apis-guru
archive=../shared/corpora/apis-guru-2022.tar.zst
secret=bench-tiers-secret-0123456789abcdef-0123456789

cargo build --release --quiet --bin pac
pac=target/release/pac

if [ ! -f "$store/pac.sqlite3" ]; then
  if [ ! -d "$corpus/openapi-directory/APIs" ]; then
    echo "unpacking $archive into $corpus" >&2
    mkdir -p "$corpus"
    zstd -d --long=27 -c "$archive" | tar -x -C "$corpus"
  fi
  echo "== importing the corpus into $store =="
  "$pac" --log warn --data-dir "$store" import "$corpus/openapi-directory/APIs" 2>&1 | tail -n 2 || true
fi
db="$store/pac.sqlite3"
sqlite3 "$db" "UPDATE apis SET system_id = NULL WHERE system_id IN (SELECT id FROM systems WHERE slug LIKE 'sys-%');
               DELETE FROM systems WHERE slug LIKE 'sys-%';"

serve() {
  "$pac" --log warn --data-dir "$store" serve --bind "127.0.0.1:$port" --no-seed \
    --jwt-secret "$secret" >"$store/serve.log" 2>&1 &
  server=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.1; done
}
stop() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
trap 'stop 2>/dev/null || true' EXIT
token=$("$pac" token --sub bench --role admin --jwt-secret "$secret" --ttl 8h)

# Silver asks for evaluations under the standard in force: let the background run finish.
serve
echo "== waiting for the evaluation against the standard =="
while :; do
  status=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/standard" |
    python3 -c 'import json,sys; e=json.load(sys.stdin)["evaluation"]; print(e["evaluated"], e["total"], e["run"]["running"])')
  read -r done total running <<<"$status"
  if [ "$running" = "False" ] && [ "$done" -ge "$total" ]; then echo "evaluated $done of $total"; break; fi
  sleep 10
done
stop

rebuild() {
  for _ in $(seq "$runs"); do
    "$pac" --log warn --data-dir "$store" reindex --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])'
  done | sort -n | awk '{a[NR]=$1} END {printf "%s (runs: %d, min %.1f, max %.1f)\n", a[int((NR+1)/2)], NR, a[1], a[NR]}'
}
echo "== search rebuild, no systems: median seconds =="
rebuild
sqlite3 "$db" "INSERT INTO systems (slug, organisation_id, name, description, visibility, created_at, updated_at)
                 SELECT 'sys-' || slug, id, name || ' platform', NULL, 'public', datetime('now'), datetime('now')
                 FROM organisations;
               UPDATE apis SET system_id = (SELECT s.id FROM systems s
                 WHERE s.organisation_id = apis.organisation_id AND s.slug LIKE 'sys-%');"
echo "== search rebuild, every API in its organisation's system: median seconds =="
rebuild

serve
python3 - "$port" "$token" "$requests" <<'PY'
import http.client, json, sys, time, urllib.parse
from collections import Counter

port, token, requests = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

def call(method, path, body=None, headers=None):
    started = time.perf_counter()
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    ms = (time.perf_counter() - started) * 1000
    if r.status >= 400:
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return data, ms

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

def timed(label, method, path, n, body=None, headers=None):
    times = [call(method, path, body, headers)[1] for _ in range(n)]
    print(f"{label}: p50 {pct(times, 50):.1f} ms, p99 {pct(times, 99):.1f} ms, max {max(times):.1f} ms ({n} requests)")

systems, offset = [], 0
while True:
    page = json.loads(call("GET", f"/api/v1/systems?limit=100&offset={offset}")[0])
    systems += page["items"]
    offset += len(page["items"])
    if not page["items"] or offset >= page["total"]:
        break
tiers = Counter(s["tier"] or "none" for s in systems)
print(f"{len(systems)} systems; tiers: " + ", ".join(f"{t} {tiers[t]}" for t in ("gold", "silver", "bronze", "none")))
sizes = []
for s in systems:
    a = json.loads(call("GET", f"/api/v1/systems/{s['slug']}/tier")[0])
    sizes.append((len(a["criteria"][0]["evidence"]), s["slug"], a["tier"]))
sizes.sort(reverse=True)
apis, largest, tier = sizes[0]
print(f"largest system: {largest} with {apis} APIs, tier {tier}")
facets = json.loads(call("GET", "/api/v1/search?kind=api&limit=1")[0])["facets"].get("tier", [])
print("search tier facet (APIs): " + ", ".join(f"{f['value']} {f['count']}" for f in facets))

timed("GET /api/v1/systems?limit=100", "GET", "/api/v1/systems?limit=100", requests)
timed(f"GET /api/v1/systems/{largest}/tier", "GET", f"/api/v1/systems/{largest}/tier", requests)
timed(f"GET /systems/{largest} (page)", "GET", f"/systems/{largest}", requests)

# Writes: one API of the largest system changes; its tier stays.
api = json.loads(call("GET", f"/api/v1/apis?system={largest}&limit=1")[0])["items"][0]["slug"]
times = []
for i in range(10):
    times.append(call("PATCH", f"/api/v1/apis/{urllib.parse.quote(api)}", {"description": f"bench {i}"}, auth)[1])
print(f"PATCH one API of {largest}, tier unchanged: p50 {pct(times, 50):.1f} ms, max {max(times):.1f} ms (10 requests)")
times = []
for i in range(4):
    visibility = "policing" if i % 2 == 0 else "public"
    times.append(call("PATCH", f"/api/v1/systems/{largest}", {"visibility": visibility}, auth)[1])
print(f"PATCH {largest}'s visibility, every API's indexed tier moves: p50 {pct(times, 50):.1f} ms, max {max(times):.1f} ms (4 requests, {apis} APIs each)")
PY
