#!/usr/bin/env bash
# Benchmark the web catalogue's reference pages on the whole APIs.guru 2022 corpus: render time
# (p50/p99 over many requests, measured by the client on localhost with a kept-alive connection,
# so it is the server's time plus well under a millisecond) and HTML size of the version page,
# operation pages and schema pages of the largest descriptions (by operation count, always with
# Google Compute alpha, GitHub, Kubernetes and Stripe when present), and of the search page. Then
# every version page of the corpus once cold (parsing the description) and once warm, for the
# largest page and the slowest warm render.
#
# Targets: version page p99 < 100 ms and < 1 MB for any description; operation and schema pages
# p99 < 20 ms; search p99 < 30 ms.
#
# Usage: scripts/bench-pages.sh [STORE_DIR]
#   STORE_DIR (default /tmp/pac-bench-pages) keeps the imported, evaluated corpus between runs; it
#   is imported first when empty (the corpus is unpacked to /tmp/apis-guru if missing).
#   TOP (default 8) largest descriptions measured; REQUESTS (default 100) per page measured;
#   CRAWL=0 skips the crawl of every version page; EVAL_WAIT (default 1800) seconds to wait for
#   the background evaluation against the standard (findings are part of the version page);
#   PORT (default 18081). Needs curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

store=${1:-/tmp/pac-bench-pages}
port=${PORT:-18081}
top=${TOP:-8}
requests=${REQUESTS:-100}
crawl=${CRAWL:-1}
eval_wait=${EVAL_WAIT:-1800}
corpus=/tmp/apis-guru
archive=../shared/corpora/apis-guru-2022.tar.zst
secret=bench-pages-secret-0123456789abcdef-0123456789

cargo build --release --quiet --bin pac
pac=target/release/pac

if [ ! -f "$store/pac.sqlite3" ]; then
  if [ ! -d "$corpus/openapi-directory/APIs" ]; then
    echo "unpacking $archive into $corpus" >&2
    mkdir -p "$corpus"
    zstd -d --long=27 -c "$archive" | tar -x -C "$corpus"
  fi
  echo "== importing the corpus into $store =="
  /usr/bin/time -f "import: %e s, peak RSS %M KB" \
    "$pac" --log warn --data-dir "$store" import "$corpus/openapi-directory/APIs" 2>&1 | tail -n 4 || true
fi

"$pac" --log info --data-dir "$store" serve --bind "127.0.0.1:$port" --no-seed \
  --jwt-secret "$secret" >"$store/serve.log" 2>&1 &
server=$!
stop() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
trap stop EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.1; done

# The version page shows the findings under the standard: wait for the background evaluation
# (it also takes the CPU the measurements need).
token=$("$pac" token --sub bench --role curator --jwt-secret "$secret" --ttl 8h)
echo "== waiting for the evaluation against the standard (at most ${eval_wait}s) =="
deadline=$(( $(date +%s) + eval_wait ))
while :; do
  status=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/standard" |
    python3 -c 'import json,sys; e=json.load(sys.stdin)["evaluation"]; print(e["evaluated"], e["total"], e["run"]["running"])')
  read -r done total running <<<"$status"
  if [ "$running" = "False" ] && [ "$done" -ge "$total" ]; then echo "evaluated $done of $total"; break; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "evaluated $done of $total; going on without the rest"; break; fi
  sleep 10
done

python3 - "$port" "$top" "$requests" "$crawl" <<'PY'
import http.client, json, re, sys, time, urllib.parse, random

port, top, requests, crawl = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
random.seed(7)
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

def get(path):
    """Status, body and milliseconds of one GET on the kept-alive connection."""
    global conn
    for attempt in (1, 2):
        try:
            started = time.perf_counter()
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            return r.status, body, (time.perf_counter() - started) * 1000
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            if attempt == 2:
                raise

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

def q(s):
    return urllib.parse.quote(s, safe="")

# Every described version of the corpus, with its operation count.
versions = []
offset = 0
while True:
    _, body, _ = get(f"/api/v1/apis?limit=500&offset={offset}")
    page = json.loads(body)
    for api in page["items"]:
        _, vb, _ = get(f"/api/v1/apis/{q(api['slug'])}/versions?limit=500")
        for v in json.loads(vb)["items"]:
            if v.get("content_sha256"):
                versions.append((v["operation_count"], api["slug"], v["version"]))
    offset += len(page["items"])
    if not page["items"] or offset >= page["total"]:
        break
versions.sort(reverse=True)
print(f"{len(versions)} described versions")

chosen = versions[:top]
for want in ("compute", "github", "kubernetes", "stripe"):
    extra = [v for v in versions if want in v[1] and v not in chosen]
    if extra and not any(want in c[1] for c in chosen):
        chosen.append(extra[0])
# Google Compute alpha by name, when present.
alpha = [v for v in versions if "compute" in v[1] and v[2] == "alpha"]
if alpha and alpha[0] not in chosen:
    chosen.append(alpha[0])

results = {"version": [], "operation": [], "schema": [], "search": []}
sizes = {"version": [], "operation": [], "schema": [], "search": []}

def measure(kind, path, n):
    status, body, ms = get(path)  # warms the description cache
    if status != 200:
        print(f"  {status} {path}")
        return body
    for _ in range(n):
        status, body, ms = get(path)
        results[kind].append(ms)
    sizes[kind].append(len(body))
    return body

print(f"\n== the {len(chosen)} largest descriptions, {requests} requests per page ==")
print(f"{'api':45} {'version':12} {'ops':>5} {'version page':>22} {'operation pages':>22} {'schema pages':>22}")
for ops, slug, label in chosen:
    base = f"/apis/{q(slug)}/versions/{q(label)}"
    cold_started = time.perf_counter()
    get(base)
    cold = (time.perf_counter() - cold_started) * 1000
    before = len(results["version"])
    body = measure("version", base, requests).decode("utf-8", "replace")
    vtimes = results["version"][before:]
    op_links = sorted(set(re.findall(r'href="(/apis/[^"]+/operations/[^"]+)"', body)))
    schema_links = sorted(set(re.findall(r'href="(/apis/[^"]+/schemas/[^"]+)"', body)))
    picked_ops = random.sample(op_links, min(5, len(op_links)))
    picked_schemas = random.sample(schema_links, min(5, len(schema_links)))
    row = []
    for kind, links in (("operation", picked_ops), ("schema", picked_schemas)):
        before = len(results[kind]); sb = len(sizes[kind])
        for link in links:
            measure(kind, link.replace("&amp;", "&"), max(1, requests // 5))
        ts = results[kind][before:]
        big = max(sizes[kind][sb:], default=0)
        row.append(f"p50 {pct(ts,50):5.1f} p99 {pct(ts,99):5.1f} ms" if ts else "-")
        row.append(big)
    print(f"{slug[:45]:45} {label[:12]:12} {ops:5} p50 {pct(vtimes,50):5.1f} p99 {pct(vtimes,99):5.1f} ms"
          f" {row[0]:>22} {row[2]:>22}")
    print(f"{'':64} cold {cold:7.0f} ms, {sizes['version'][-1]/1e3:7.0f} kB; largest operation page {row[1]/1e3:.0f} kB, schema page {row[3]/1e3:.0f} kB")

# Words of API names, each searched once (so the answer cache rarely helps), and a few
# phrases people type.
words = sorted({w for _, slug, _ in versions for w in re.split(r"[^a-z]+", slug.lower()) if len(w) > 3})
queries = random.sample(words, min(len(words), requests * 3 - 8)) + [
    "custody", "payments", "kubernetes pod", "user", "invoice", "weather forecast", "storage bucket", "email"]
print(f"\n== search page, {len(queries)} different queries ==")
for query in queries:
    status, body, ms = get(f"/search?q={q(query)}")
    results["search"].append(ms)
    sizes["search"].append(len(body))

print("\n== summary (ms; bytes are the largest page) ==")
targets = {"version": 100, "operation": 20, "schema": 20, "search": 30}
for kind, ts in results.items():
    if ts:
        p99 = pct(ts, 99)
        verdict = "OK" if p99 < targets[kind] else "MISSES"
        print(f"{kind:10} n={len(ts):6} p50 {pct(ts,50):6.1f}  p99 {p99:6.1f}  max {max(ts):7.1f}  "
              f"largest {max(sizes[kind])/1e3:7.0f} kB  target p99 < {targets[kind]} ms: {verdict}")

if crawl:
    print(f"\n== every version page of the corpus: {len(versions)} versions, cold then warm ==")
    cold, warm, biggest, slowest, errors = [], [], (0, ""), (0.0, ""), 0
    started = time.perf_counter()
    for _, slug, label in versions:
        path = f"/apis/{q(slug)}/versions/{q(label)}"
        status, body, ms = get(path)
        cold.append(ms)
        status, body, ms = get(path)
        if status != 200:
            errors += 1
            print(f"  {status} {path}")
            continue
        warm.append(ms)
        biggest = max(biggest, (len(body), path))
        slowest = max(slowest, (ms, path))
    print(f"crawled in {time.perf_counter() - started:.0f} s, {errors} errors")
    print(f"cold (parse + render): p50 {pct(cold,50):.1f} p99 {pct(cold,99):.1f} max {max(cold):.0f} ms")
    print(f"warm: p50 {pct(warm,50):.1f} p99 {pct(warm,99):.1f} max {max(warm):.1f} ms ({slowest[1]})")
    print(f"largest version page: {biggest[0]/1e3:.0f} kB ({biggest[1]}); "
          f"under 1 MB: {'OK' if biggest[0] < 1_000_000 else 'MISSES'}")
PY
