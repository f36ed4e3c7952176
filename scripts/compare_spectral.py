#!/usr/bin/env python3
"""Compare `pac lint` with Spectral on the same OpenAPI descriptions (standard library only).

Two subcommands; scripts/compare-spectral.sh drives both.

  compare_spectral.py sample --apis DIR [--count 100] --out LIST
      Pick COUNT description files, one per provider (the top-level directory under APIs/), and write
      their absolute paths to LIST, one per line. Deterministic: providers are sorted by name (code-point
      order) and provider number floor(i * P / COUNT) is taken for i = 0..COUNT-1, which spreads the picks
      evenly over the alphabet; for each picked provider the first file in sorted relative-path order is
      used, skipping files pac's loader refuses (not UTF-8, C0 control characters other than tab/LF/CR, or
      C1 control characters other than U+0085 -- e.g. docusign.net v2.1, sendgrid.com 1.0.0), in which case
      the provider's next file is taken; a provider with no readable file (docusign.net has only the one)
      is replaced by the next provider by name that is not already picked.

  compare_spectral.py report --spectral S.json --pac P.json --files LIST
                             [--spectral-time T] [--pac-time T] [--root APIS_DIR] [--out REPORT.md]
                             [--examples 3]
      Print a Markdown report (and write it to --out): wall time, CPU time and peak RSS of both tools
      (from `/usr/bin/time -v` output files), their ratio, per-rule agreement, and for each implemented
      rule the pointer patterns of missed and extra findings with examples. pac's `rules` list says which
      rules are implemented; without it, every rule pac reported a finding for counts as implemented.

Matching: a Spectral finding is reproduced when pac has a finding of the same rule in the same file at
the same JSON pointer (Spectral's `path` array joined with RFC 6901 escaping); failing that, the same
rule on the same line (Spectral's 0-based range.start.line + 1 == pac's 1-based line). Each pac finding
matches at most one Spectral finding. Severity is not part of matching; disagreements are counted.
File paths on both sides are normalised to the path relative to --root (or to ".../APIs/"), so a
Spectral result produced under another cache directory can be reused.
"""

import argparse
import collections
import json
import os
import re
import sys

SPECTRAL_SEVERITY = {0: "error", 1: "warn", 2: "info", 3: "hint"}
AGREEMENT_TARGET = 95.0  # % of Spectral's findings (implemented rules) pac must reproduce
SPEED_TARGET = 50.0  # pac must be this many times faster (wall time)


# --------------------------------------------------------------------------------------------- sample


def unreadable_reason(path):
    """Why pac's loader would refuse this file (mirrors crates/pac-spec/src/parse.rs), or None if it is fine."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return "UTF-16"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return "not valid UTF-8 at byte %d" % e.start
    m = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    if m:
        return "C0 control character U+%04X" % ord(m.group())
    m = re.search(r"[\x80-\x84\x86-\x9f]", text)
    if m:
        return "C1 control character U+%04X" % ord(m.group())
    return None


def description_files(provider_dir):
    """All openapi.* / swagger.* files under a provider, sorted by path relative to the provider."""
    found = []
    for dirpath, dirnames, filenames in os.walk(provider_dir):
        for name in filenames:
            if name.split(".")[0] in ("openapi", "swagger"):
                found.append(os.path.relpath(os.path.join(dirpath, name), provider_dir))
    return sorted(found)


def first_readable(apis, provider):
    """The provider's first file (sorted relative path) that pac's loader accepts, or None."""
    for rel in description_files(os.path.join(apis, provider)):
        path = os.path.join(apis, provider, rel)
        reason = unreadable_reason(path)
        if reason is None:
            return path
        print("sample: skipping %s/%s (%s)" % (provider, rel, reason), file=sys.stderr)
    return None


def cmd_sample(args):
    apis = os.path.abspath(args.apis)
    providers = sorted(d for d in os.listdir(apis) if os.path.isdir(os.path.join(apis, d)))
    if len(providers) < args.count:
        sys.exit("only %d providers under %s, cannot pick %d" % (len(providers), apis, args.count))
    chosen, used = [], set()
    for i in range(args.count):
        # Provider number floor(i * P / COUNT); if it has no readable file, the next provider not yet used.
        k = i * len(providers) // args.count
        while True:
            while k < len(providers) and k in used:
                k += 1
            if k >= len(providers):
                sys.exit("ran out of providers with a readable description file")
            used.add(k)
            path = first_readable(apis, providers[k])
            if path:
                chosen.append(path)
                break
            print("sample: provider %s has no readable file, taking the next provider" % providers[k],
                  file=sys.stderr)
    with open(args.out, "w") as f:
        f.write("".join(p + "\n" for p in chosen))
    print("sample: %d files from %d providers written to %s" % (len(chosen), len(providers), args.out),
          file=sys.stderr)


# --------------------------------------------------------------------------------------------- report


def pointer(path):
    """RFC 6901 JSON pointer of a Spectral path array (array indexes become decimal segments)."""
    return "".join("/" + str(seg).replace("~", "~0").replace("/", "~1") for seg in path)


def norm_pointer(p):
    """pac pointers are RFC 6901 already; tolerate a URI-fragment form ('#/paths/...')."""
    if p is None:
        return None
    return p[1:] if p.startswith("#") else p


def make_normaliser(root):
    root = os.path.realpath(root) if root else None

    def norm(path):
        full = os.path.realpath(os.path.abspath(path))
        if root and (full + os.sep).startswith(root + os.sep):
            return os.path.relpath(full, root)
        marker = os.sep + "APIs" + os.sep
        if marker in full:
            return full.split(marker, 1)[1]
        return full

    return norm


# Keys whose children are user-chosen names (paths, schema names, property names...): a path pattern
# replaces those children with '*' so that findings can be grouped by where they occur.
NAME_MAPS = {"paths", "properties", "schemas", "definitions", "securitySchemes", "securityDefinitions",
             "examples", "headers", "callbacks", "links", "patternProperties", "variables",
             "requestBodies", "mapping", "webhooks"}


def path_pattern(ptr):
    """'/paths/~1pets~1{id}/get/responses/200' -> '/paths/*/get/responses/200' (for grouping)."""
    if ptr is None:
        return "(no pointer)"
    if ptr == "":
        return "(document root)"
    segs = ptr.split("/")[1:]
    out = []
    prev, prev_was_name = None, False
    for i, seg in enumerate(segs):
        is_name = not prev_was_name and (
            prev in NAME_MAPS
            # named responses / parameters: Swagger 2 top level or OpenAPI 3 components
            or (prev in ("responses", "parameters") and (i == 1 or (i == 2 and segs[0] == "components"))))
        if is_name:
            out.append("*")
        elif not prev_was_name and prev in ("responses", "content"):
            out.append(seg.replace("~1", "/"))  # status codes and media types are informative: keep them
            is_name = True
        elif seg.isdigit():
            out.append("{n}")  # array index
        else:
            out.append(seg)
            if seg in ("example", "examples", "default", "enum") or seg.startswith("x-"):
                break  # the rest is inside a free-form value and says nothing about the rule
        prev, prev_was_name = seg, is_name
    return "/" + "/".join(out)


def load_spectral(path, norm):
    with open(path) as f:
        data = json.load(f)
    if not isinstance(data, list):
        sys.exit("%s: expected a JSON array (spectral -f json)" % path)
    findings = []
    for r in data:
        start = (r.get("range") or {}).get("start") or {}
        sev = r.get("severity")
        findings.append({
            "rule": r.get("code"),
            "file": norm(r.get("source") or ""),
            "pointer": pointer(r.get("path") or []),
            "line": start.get("line", -1) + 1 if isinstance(start.get("line"), int) else None,
            "severity": SPECTRAL_SEVERITY.get(sev, str(sev)),
            "message": r.get("message", ""),
        })
    return findings


def load_pac(path, norm):
    with open(path) as f:
        data = json.load(f)
    findings, file_errors, files_seen = [], [], []
    for entry in data.get("files") or []:
        name = norm(entry.get("file") or "")
        files_seen.append(name)
        if entry.get("error"):
            file_errors.append((name, entry["error"]))
        for r in entry.get("findings") or []:
            findings.append({
                "rule": r.get("rule"),
                "file": name,
                "pointer": norm_pointer(r.get("pointer")),
                "line": r.get("line"),
                "severity": r.get("severity"),
                "message": r.get("message", ""),
            })
    rules = data.get("rules")
    unsupported = data.get("unsupported") or []
    ruleset = data.get("ruleset") or {}
    return findings, rules, unsupported, ruleset, file_errors, files_seen


def match(spectral, pac):
    """Pair Spectral findings with pac findings. Returns (pairs, missed spectral, extra pac)."""
    by_key = collections.defaultdict(lambda: ([], []))
    for s in spectral:
        by_key[(s["file"], s["rule"])][0].append(s)
    for p in pac:
        by_key[(p["file"], p["rule"])][1].append(p)
    pairs, missed, extra = [], [], []
    for key in sorted(by_key, key=lambda k: (k[0] or "", k[1] or "")):
        ss, ps = by_key[key]
        used = [False] * len(ps)
        by_ptr, by_line = collections.defaultdict(list), collections.defaultdict(list)
        for i, p in enumerate(ps):
            by_ptr[p["pointer"]].append(i)
            by_line[p["line"]].append(i)

        def take(candidates):
            for i in candidates:
                if not used[i]:
                    used[i] = True
                    return ps[i]
            return None

        unmatched = []
        for s in ss:  # pass 1: same pointer
            p = take(by_ptr.get(s["pointer"], ()))
            if p:
                pairs.append((s, p, "pointer"))
            else:
                unmatched.append(s)
        for s in unmatched:  # pass 2: same line
            p = take(by_line.get(s["line"], ())) if s["line"] is not None else None
            if p:
                pairs.append((s, p, "line"))
            else:
                missed.append(s)
        extra.extend(p for i, p in enumerate(ps) if not used[i])
    return pairs, missed, extra


def median_run(paths):
    """The run with the median wall time among several `/usr/bin/time -v` files, and every wall time."""
    runs = [parse_time_file(p) for p in paths]
    timed = sorted((r for r in runs if r["wall"] is not None), key=lambda r: r["wall"])
    walls = [r["wall"] for r in timed]
    if not timed:
        return (runs[0] if runs else parse_time_file(None)), walls
    return timed[(len(timed) - 1) // 2], walls


def parse_time_file(path):
    """Wall seconds, user+sys seconds, peak RSS KB and exit status from `/usr/bin/time -v` output."""
    info = {"wall": None, "cpu": None, "rss_kb": None, "status": None, "load": None}
    precise = None  # appended by compare-spectral.sh from a nanosecond clock
    if not path or not os.path.exists(path):
        return info
    user = sys_ = 0.0
    with open(path, errors="replace") as f:
        for line in f:
            key, _, val = line.strip().rpartition(": ")
            if key.startswith("Elapsed (wall clock) time"):
                secs = 0.0
                for part in val.split(":"):
                    secs = secs * 60 + float(part)
                info["wall"] = secs
            elif key == "Precise wall time (seconds)":
                precise = float(val)
            elif key == "Load average before (1 min)":
                info["load"] = val
            elif key == "User time (seconds)":
                user = float(val)
            elif key == "System time (seconds)":
                sys_ = float(val)
            elif key == "Maximum resident set size (kbytes)":
                info["rss_kb"] = int(val)
            elif key == "Exit status":
                info["status"] = int(val)
    if precise is not None:
        info["wall"] = precise
    if info["wall"] is not None:
        info["cpu"] = user + sys_
    return info


def fmt_secs(s):
    return "n/a" if s is None else ("%.3f s" % s if s < 10 else "%.2f s" % s)


def fmt_mb(kb):
    return "n/a" if kb is None else "%.0f MiB" % (kb / 1024)


def pct(a, b):
    return "n/a" if b == 0 else "%.1f%%" % (100.0 * a / b)


def md_cell(text, limit=160):
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("|", "\\|")


def nearest(finding, candidates, unmatched_ids):
    """What the other tool reported nearest (by line) in the same file for the same rule: preferably a
    finding that is itself unmatched (likely the same problem located differently), else any."""
    if not candidates:
        return None, False
    line = finding["line"] or 0
    free = [c for c in candidates if id(c) in unmatched_ids]
    pool = free or candidates
    best = min(pool, key=lambda c: (abs((c["line"] or 0) - line), c["pointer"] or ""))
    return best, not free


def cmd_report(args):
    norm = make_normaliser(args.root)
    spectral = load_spectral(args.spectral, norm)
    pac, pac_rules, unsupported, ruleset, pac_file_errors, pac_files = load_pac(args.pac, norm)
    with open(args.files) as f:
        sample = [norm(line.strip()) for line in f if line.strip()]
    st, s_walls = median_run(args.spectral_time)
    pt, p_walls = median_run(args.pac_time)

    out = []
    w = out.append
    w("# pac lint vs Spectral (%s)" % (ruleset.get("name") or "spectral:oas"))
    w("")
    w("%d description files (one per provider). pac ruleset: %s %s." % (
        len(sample), ruleset.get("name", "?"), ruleset.get("version", "")))
    w("")

    # ---- timing
    w("## Time and memory")
    w("")
    w("| tool | wall time | CPU (user+sys) | peak RSS | exit status | load average before |")
    w("|---|---:|---:|---:|---:|---:|")
    for name, t in (("spectral lint", st), ("pac lint", pt)):
        w("| %s | %s | %s | %s | %s | %s |" % (
            name, fmt_secs(t["wall"]), fmt_secs(t["cpu"]), fmt_mb(t["rss_kb"]),
            "n/a" if t["status"] is None else t["status"], t["load"] or "n/a"))
    w("")
    w("Each run is one process per tool over all files, page cache warm; %d CPUs. The table shows each "
      "tool's median run by wall time. A load average near or above the CPU count means something else was "
      "running and the times are inflated." % (os.cpu_count() or 0))
    w("")
    w("All wall times: spectral %s; pac %s." % (
        ", ".join(fmt_secs(x) for x in s_walls) or "n/a", ", ".join(fmt_secs(x) for x in p_walls) or "n/a"))
    w("")
    if st["wall"] is not None and pt["wall"] is not None:
        # /usr/bin/time alone rounds to 10 ms: a 0.00 s run is counted as 10 ms (the ratio is then a floor).
        under_resolution = pt["wall"] == 0
        ratio = st["wall"] / (0.01 if under_resolution else pt["wall"])
        w("**Wall time ratio spectral/pac: %s%.1f×** (target ≥ %.0f×: %s)." % (
            "≥ " if under_resolution else "", ratio, SPEED_TARGET, "met" if ratio >= SPEED_TARGET else "NOT met"))
    else:
        w("Wall time ratio: n/a (a timing file is missing).")
    if st["rss_kb"] and pt["rss_kb"]:
        w("Peak RSS ratio spectral/pac: %.1f×." % (st["rss_kb"] / pt["rss_kb"]))
    w("")

    # ---- which rules count as implemented
    spectral_rules = collections.Counter(s["rule"] for s in spectral)
    pac_rule_counts = collections.Counter(p["rule"] for p in pac)
    if pac_rules is None:
        implemented = set(pac_rule_counts)
        w("> pac's output has no `rules` list; rules with at least one pac finding are treated as "
          "implemented (%d rules). Rules pac runs but never fires on are then counted as not implemented." %
          len(implemented))
        w("")
    else:
        implemented = set(pac_rules)
    unsupported_reason = {u.get("rule"): u.get("reason", "") for u in unsupported if isinstance(u, dict)}

    pairs, missed, extra = match(spectral, pac)
    matched_by_rule = collections.Counter(s["rule"] for s, _, _ in pairs)
    by_line_rule = collections.Counter(s["rule"] for s, _, how in pairs if how == "line")
    missed_by_rule = collections.defaultdict(list)
    for s in missed:
        missed_by_rule[s["rule"]].append(s)
    extra_by_rule = collections.defaultdict(list)
    for p in extra:
        extra_by_rule[p["rule"]].append(p)
    sev_diff = collections.defaultdict(collections.Counter)
    for s, p, _ in pairs:
        if s["severity"] != p["severity"]:
            sev_diff[s["rule"]][(s["severity"], p["severity"])] += 1

    # ---- agreement totals
    impl_total = sum(n for r, n in spectral_rules.items() if r in implemented)
    impl_matched = sum(n for r, n in matched_by_rule.items() if r in implemented)
    impl_extra = sum(len(v) for r, v in extra_by_rule.items() if r in implemented)
    other_total = sum(n for r, n in spectral_rules.items() if r not in implemented)
    w("## Agreement")
    w("")
    agreement = 100.0 * impl_matched / impl_total if impl_total else None
    w("- Spectral findings for rules pac implements: **%d**, reproduced by pac: **%d (%s)** "
      "(target ≥ %.0f%%: %s)." % (impl_total, impl_matched, pct(impl_matched, impl_total), AGREEMENT_TARGET,
                                  "n/a" if agreement is None else
                                  ("met" if agreement >= AGREEMENT_TARGET else "NOT met")))
    w("- Of the reproduced, matched by pointer: %d, by line only: %d." % (
        impl_matched - sum(by_line_rule[r] for r in implemented), sum(by_line_rule[r] for r in implemented)))
    w("- pac findings with no Spectral counterpart (extras), implemented rules: %d." % impl_extra)
    w("- Spectral findings for rules pac does not implement: %d (%d rules)." % (
        other_total, len([r for r in spectral_rules if r not in implemented])))
    w("- Findings: Spectral %d in total, pac %d in total." % (len(spectral), len(pac)))
    w("")

    # ---- per-rule table
    w("## Per rule")
    w("")
    w("Implemented = listed in pac's `rules`. Reproduced = matched by pointer or, failing that, line. "
      "Severity column: matched pairs whose severities differ (spectral→pac).")
    w("")
    w("| rule | pac | Spectral findings | reproduced | % | by line | pac extras | severity differs |")
    w("|---|---|---:|---:|---:|---:|---:|---|")
    all_rules = set(spectral_rules) | set(pac_rule_counts) | implemented

    def rule_order(r):
        return (r not in implemented, -spectral_rules.get(r, 0), -pac_rule_counts.get(r, 0), r or "")

    for r in sorted(all_rules, key=rule_order):
        status = "yes" if r in implemented else ("unsupported" if r in unsupported_reason else "no")
        n, m = spectral_rules.get(r, 0), matched_by_rule.get(r, 0)
        sd = ", ".join("%s→%s: %d" % (a, b, c) for (a, b), c in sorted(sev_diff[r].items()))
        if r in implemented:
            w("| %s | %s | %d | %d | %s | %d | %d | %s |" % (r, status, n, m, pct(m, n), by_line_rule.get(r, 0),
                                                         len(extra_by_rule.get(r, [])), sd))
        else:
            w("| %s | %s | %d | – | – | – | %d | %s |" % (r, status, n, len(extra_by_rule.get(r, [])), sd))
    w("| **total, implemented rules** | | **%d** | **%d** | **%s** | | **%d** | |" % (
        impl_total, impl_matched, pct(impl_matched, impl_total), impl_extra))
    w("| **total, other rules** | | **%d** | | | | | |" % other_total)
    w("")
    if unsupported_reason:
        w("Rules of the ruleset pac reports as unsupported:")
        w("")
        for r in sorted(unsupported_reason):
            w("- `%s`: %s (Spectral findings: %d)" % (r, md_cell(unsupported_reason[r], 300),
                                                     spectral_rules.get(r, 0)))
        w("")

    # ---- differences, grouped by where they occur, with examples
    w("## Differences (implemented rules)")
    w("")
    w("For each rule: where the misses / extras occur (pointer pattern, user-chosen names shown as `*`), then "
      "up to %d examples with what the other tool reported nearest in the same file for the same rule "
      "(an unmatched finding if there is one, else one marked (matched))." %
      args.examples)
    w("")
    spectral_by_fr = collections.defaultdict(list)
    for s in spectral:
        spectral_by_fr[(s["file"], s["rule"])].append(s)
    pac_by_fr = collections.defaultdict(list)
    for p in pac:
        pac_by_fr[(p["file"], p["rule"])].append(p)
    unmatched_ids = {id(f) for f in missed} | {id(f) for f in extra}
    any_diff = False
    for r in sorted(implemented, key=rule_order):
        ms, xs = missed_by_rule.get(r, []), extra_by_rule.get(r, [])
        if not ms and not xs:
            continue
        any_diff = True
        w("### %s — %d missed, %d extra" % (r, len(ms), len(xs)))
        w("")
        for label, items, other in (("missed (Spectral only)", ms, pac_by_fr),
                                    ("extra (pac only)", xs, spectral_by_fr)):
            if not items:
                continue
            patterns = collections.Counter(path_pattern(i["pointer"]) for i in items)
            files = len({i["file"] for i in items})
            w("**%s**: %d in %d files; top pointer patterns: %s" % (
                label, len(items), files,
                "; ".join("`%s` %d" % (md_cell(p, 100), c) for p, c in patterns.most_common(4))))
            w("")
            w("| file | line | pointer | message | other tool nearby (line, pointer, message) |")
            w("|---|---:|---|---|---|")
            # Examples from distinct files first, so that one big file does not hide the others.
            shown, seen_files = [], set()
            for i in items:
                if i["file"] not in seen_files and len(shown) < args.examples:
                    shown.append(i)
                    seen_files.add(i["file"])
            for i in items:
                if len(shown) >= args.examples:
                    break
                if i not in shown:
                    shown.append(i)
            for i in shown:
                near, already = nearest(i, other.get((i["file"], r), []), unmatched_ids)
                near_text = "—" if near is None else "%s%s, `%s`, %s" % (
                    "(matched) " if already else "", near["line"], md_cell(near["pointer"], 80),
                    md_cell(near["message"], 100))
                w("| %s | %s | `%s` | %s | %s |" % (md_cell(i["file"], 70), i["line"], md_cell(i["pointer"], 90),
                                                    md_cell(i["message"], 120), near_text))
            w("")
    if not any_diff:
        w("No differences.")
        w("")

    # ---- files
    w("## Files")
    w("")
    sample_set = set(sample)
    spectral_files = {s["file"] for s in spectral}
    problems = collections.defaultdict(list)
    for s in spectral:
        if s["rule"] in ("parser", "unrecognized-format"):  # Spectral could not (fully) read the file
            problems[s["file"]].append(s)
    w("- Sample: %d files; Spectral reported findings for %d of them, pac's output lists %d." % (
        len(sample), len(spectral_files & sample_set), len(set(pac_files) & sample_set)))
    outside = sorted((spectral_files | set(pac_files)) - sample_set)
    if outside:
        w("- Files in an output but not in the sample (path normalisation problem?): %s" %
          ", ".join(md_cell(f, 80) for f in outside[:10]))
    missing_pac = sorted(sample_set - set(pac_files))
    if missing_pac:
        w("- Sample files missing from pac's output: %s" % ", ".join(md_cell(f, 80) for f in missing_pac[:20]))
    if problems:
        w("- Files Spectral could not lint properly (parser errors or unrecognized format):")
        for f in sorted(problems):
            first = problems[f][0]
            w("  - %s: %d × %s, e.g. line %s: %s" % (f, len(problems[f]), first["rule"], first["line"],
                                                     md_cell(first["message"], 120)))
    else:
        w("- Spectral reported no parser errors or unrecognized formats.")
    if pac_file_errors:
        w("- Files pac could not read:")
        for f, e in pac_file_errors:
            w("  - %s: %s %s" % (f, e.get("code", "") if isinstance(e, dict) else "",
                                 md_cell(e.get("message", "") if isinstance(e, dict) else e, 160)))
    else:
        w("- pac read every file.")
    w("")

    text = "\n".join(out)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample", help="pick one description file per provider")
    s.add_argument("--apis", required=True, help="the corpus's APIs directory")
    s.add_argument("--count", type=int, default=100)
    s.add_argument("--out", required=True, help="file list to write")
    r = sub.add_parser("report", help="compare Spectral's and pac's JSON output")
    r.add_argument("--spectral", required=True, help="spectral lint -f json output")
    r.add_argument("--pac", required=True, help="pac lint --format json output")
    r.add_argument("--files", required=True, help="the sample file list")
    r.add_argument("--spectral-time", nargs="*", default=[],
                   help="/usr/bin/time -v outputs of the spectral runs (the median by wall time is reported)")
    r.add_argument("--pac-time", nargs="*", default=[],
                   help="/usr/bin/time -v outputs of the pac runs (the median by wall time is reported)")
    r.add_argument("--root", help="directory file paths are made relative to (the corpus's APIs dir)")
    r.add_argument("--out", help="also write the Markdown report here")
    r.add_argument("--examples", type=int, default=3, help="examples per rule and direction")
    args = ap.parse_args()
    {"sample": cmd_sample, "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    main()
