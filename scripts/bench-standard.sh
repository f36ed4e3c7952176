#!/usr/bin/env bash
# Benchmark and compare two versions of the police API standard over the APIs.guru 2022 corpus: for every
# description, the kitemark, score and failing rules under the OLD ruleset (1.0.0 by default, from git) and
# the NEW one (the working tree's); then side by side: kitemarks won and lost (and by which MUST rules),
# score distributions, how often each rule fails, the wall time of linting the whole corpus under each
# (median of RUNS), and the seed's data.police.uk descriptions under both.
#
# Usage: scripts/bench-standard.sh [CORPUS_DIR]
#   CORPUS_DIR  defaults to /tmp/apis-guru (unpacked there from ../shared/corpora if missing).
#   OLD_REF     git revision holding the old ruleset (default f3949cc, the last commit of standard 1.0.0).
#   RUNS        timed runs per ruleset (default 3); BATCH files per `pac lint` process (default 250).
#   PAC_BIN     a pac binary to use instead of building target/release/pac.
#   OUT         folder for the results (per-description JSON lines under each ruleset); kept afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${1:-/tmp/apis-guru}
archive=../shared/corpora/apis-guru-2022.tar.zst
if [ ! -d "$corpus/openapi-directory/APIs" ]; then
  echo "unpacking $archive into $corpus" >&2
  mkdir -p "$corpus"
  zstd -d --long=27 -c "$archive" | tar -x -C "$corpus"
fi
apis="$corpus/openapi-directory/APIs"
runs=${RUNS:-3}
batch=${BATCH:-250}
old_ref=${OLD_REF:-f3949cc}

if [ -z "${PAC_BIN:-}" ]; then
  cargo build --release --quiet --bin pac
  PAC_BIN=${CARGO_TARGET_DIR:-target}/release/pac
fi

# Results stay in OUT (default a fresh temporary folder, printed at the end) for a closer look.
work=${OUT:-$(mktemp -d)}
mkdir -p "$work"
rm -f "$work"/batch.* "$work"/*.walls "$work/seed.txt"
git show "$old_ref:catalogue/standards/police-api-standard.yaml" > "$work/old.yaml"
cp catalogue/standards/police-api-standard.yaml "$work/new.yaml"
find "$apis" -type f \( -name 'openapi.yaml' -o -name 'swagger.yaml' \) | sort > "$work/files"
split -l "$batch" -d -a 3 "$work/files" "$work/batch."
echo "corpus: $(wc -l < "$work/files") descriptions; old ruleset from $old_ref; $runs runs; $(nproc) cores"

# One pass of a ruleset over the corpus; the reduced results of the last pass are kept.
lint_corpus() {
  local name=$1 run=$2 total=0
  : > "$work/$name.jsonl"
  for b in "$work"/batch.*; do
    local start end
    start=$(date +%s.%N)
    set +e
    xargs -a "$b" -d '\n' "$PAC_BIN" lint --ruleset "$work/$name.yaml" --format json > "$work/out.json" 2> /dev/null
    set -e
    end=$(date +%s.%N)
    total=$(echo "$total + $end - $start" | bc)
    python3 - "$work/out.json" >> "$work/$name.jsonl" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for f in report["files"]:
    s = f.get("score")
    rules = sorted({x["rule"] for x in (f.get("findings") or [])})
    print(json.dumps({
        "file": f["file"],
        "error": bool(f.get("error")) or s is None,
        "kitemark": bool(s and s["kitemark"]),
        "score": s["score"] if s else None,
        "must": s["must_failures"] if s else [],
        "rules": rules,
    }))
PY
  done
  echo "$total" >> "$work/$name.walls"
  printf '%s run %d: %.1f s\n' "$name" "$run" "$total"
}

for run in $(seq 1 "$runs"); do
  lint_corpus old "$run"
  lint_corpus new "$run"
done

seed=catalogue/apis/police-uk/data-police-uk
for name in old new; do
  for v in "$seed"/*/openapi.yaml; do
    "$PAC_BIN" lint --ruleset "$work/$name.yaml" --format json "$v" > "$work/seed.json" 2> /dev/null || true
    python3 - "$work/seed.json" "$name" "$v" >> "$work/seed.txt" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
s = f["score"]
parts = ", ".join(f"{k} {v['score']}" for k, v in s["breakdown"].items())
must = ", ".join(s["must_failures"]) or "none"
print(f"{sys.argv[2]:>3} {sys.argv[3]}: kitemark {s['kitemark']}, score {s['score']} ({parts}); MUST failing: {must}")
PY
  done
done

python3 - "$work" <<'PY'
import collections, json, statistics, sys
work = sys.argv[1]
def load(name):
    return {r["file"]: r for r in map(json.loads, open(f"{work}/{name}.jsonl"))}
old, new = load("old"), load("new")
walls = {n: [float(x) for x in open(f"{work}/{n}.walls")] for n in ("old", "new")}
files = sorted(set(old) & set(new))
linted = [f for f in files if not old[f]["error"] and not new[f]["error"]]
print(f"\ndescriptions: {len(files)}, linted under both: {len(linted)}, not loadable: {len(files) - len(linted)}")
for n in ("old", "new"):
    w = statistics.median(walls[n])
    print(f"wall time, whole corpus, {n}: median {w:.1f} s of {len(walls[n])} runs "
          f"({', '.join(f'{x:.1f}' for x in walls[n])}); {1000 * w / len(files):.1f} ms per description")
print(f"ratio new/old wall time: {statistics.median(walls['new']) / statistics.median(walls['old']):.2f}")

def dist(rs):
    scores = sorted(r["score"] for r in rs)
    q = statistics.quantiles(scores, n=4)
    return scores, q
print("\n                       old      new")
ko = sum(old[f]["kitemark"] for f in linted); kn = sum(new[f]["kitemark"] for f in linted)
print(f"kitemark             {ko:6d}   {kn:6d}   (of {len(linted)})")
so, qo = dist([old[f] for f in linted]); sn, qn = dist([new[f] for f in linted])
print(f"score median         {statistics.median(so):6.0f}   {statistics.median(sn):6.0f}")
print(f"score quartiles   {qo[0]:4.0f}-{qo[2]:<4.0f}  {qn[0]:4.0f}-{qn[2]:<4.0f}")
print(f"score mean           {statistics.mean(so):6.1f}   {statistics.mean(sn):6.1f}")
bands = [(0, 49), (50, 59), (60, 69), (70, 79), (80, 89), (90, 100)]
for lo, hi in bands:
    a = sum(lo <= s <= hi for s in so); b = sum(lo <= s <= hi for s in sn)
    print(f"score {lo:3d}-{hi:<3d}        {a:6d}   {b:6d}")
delta = [new[f]["score"] - old[f]["score"] for f in linted]
print(f"score change new-old: median {statistics.median(delta):+.0f}, min {min(delta):+d}, max {max(delta):+d}")

gained = [f for f in linted if new[f]["kitemark"] and not old[f]["kitemark"]]
lost = [f for f in linted if old[f]["kitemark"] and not new[f]["kitemark"]]
print(f"\nkitemark gained: {len(gained)}, lost: {len(lost)}")
why = collections.Counter()
for f in gained:
    for r in set(old[f]["must"]) - set(new[f]["must"]):
        why[r] += 1
for r, n in why.most_common():
    print(f"  gained, no longer failing {r}: {n}")
why = collections.Counter()
for f in lost:
    for r in set(new[f]["must"]) - set(old[f]["must"]):
        why[r] += 1
for r, n in why.most_common():
    print(f"  lost, newly failing {r}: {n}")
for f in lost[:10]:
    print(f"    {f.split('/APIs/')[-1]}: {sorted(set(new[f]['must']) - set(old[f]['must']))}")
# MUST rules whose failures changed, even where the kitemark did not.
print("\nMUST failures per rule (descriptions failing it), old -> new:")
mo = collections.Counter(r for f in linted for r in old[f]["must"])
mn = collections.Counter(r for f in linted for r in new[f]["must"])
for r in sorted(set(mo) | set(mn)):
    print(f"  {r:36s} {mo[r]:5d} -> {mn[r]:5d}")
print("\nevery rule: descriptions with at least one finding, old -> new:")
ro = collections.Counter(r for f in linted for r in old[f]["rules"])
rn = collections.Counter(r for f in linted for r in new[f]["rules"])
for r in sorted(set(ro) | set(rn)):
    print(f"  {r:36s} {ro[r]:5d} -> {rn[r]:5d}")
PY
echo
echo "seed data.police.uk:"
cat "$work/seed.txt"
echo "results in $work"
