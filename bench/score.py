#!/usr/bin/env python3
"""Correctness scoring and result tables for the codemod benchmark.  Stdlib only.

Copied unchanged (apart from this note) from the project's shared benchmark
(`shared/bench/score.py`), where the peer measurements in issue 7 were taken, so that
the peers are scored exactly as they were there. bench/run.py imports it and adds what
amp2mp-codemod needs on top (reported sites, import edits).

  score.py edits --truth T.json --orig TREE --edited COPY [--out S.json]
      Compare a copy that a tool rewrote in place with the original tree and
      match every changed line against the call sites gen_tree.py planted.
      A planted site counts as rewritten when a changed region overlaps its
      lines and the new text of that region names mixpanel / mp.

  score.py rg --truth T.json --list FILES.txt [--root TREE] [--out S.json]
      Score a file list (the output of `rg -l -i amplitude TREE`).

  score.py table --results DIR
      Markdown table from DIR/<tree>/{truth.json,<peer>.hyperfine.json,
      <peer>.time.txt,<peer>.score.json} as run_bench.sh writes them.
"""

import argparse
import difflib
import json
import os
import re
import statistics
import sys

TARGET = re.compile(r"\b(mixpanel|mp)\b")


def load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def walk_files(root):
    out = {}
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if not (d == root and x == ".git")]
        for f in files:
            p = os.path.join(d, f)
            out[os.path.relpath(p, root)] = p
    return out


def in_ignored(rel, ignored):
    first = rel.split(os.sep, 1)[0]
    return first in ignored or any(f"{os.sep}{i}{os.sep}" in f"{os.sep}{rel}" for i in ignored)


def changed_regions(old_b, new_b):
    """[(old_first_line, old_last_line, new_text)] for every changed region (1-based)."""
    old = old_b.decode("utf-8", "replace").splitlines()
    new = new_b.decode("utf-8", "replace").splitlines()
    out = []
    sm = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if i2 == i1:  # pure insertion: attach it to the line before
            first = last = max(1, i1)
        else:
            first, last = i1 + 1, i2
        out.append((first, last, "\n".join(new[j1:j2])))
    return out


def cmd_edits(a):
    truth = load(a.truth)
    ignored = set(truth.get("ignored_dirs", ["node_modules", ".venv"]))
    decoys = set(truth.get("decoy_files", []))
    sites_by_file = {}
    for s in truth["sites"]:
        sites_by_file.setdefault(s["file"], []).append(s)
    orig = walk_files(a.orig)
    edit = walk_files(a.edited)
    res = {
        "files_changed": 0, "files_added": 0, "files_removed": 0,
        "ignored_files_changed": 0, "decoy_files_changed": 0, "other_files_changed": 0,
        "regions_unplanted": 0, "regions_unplanted_ignored": 0, "regions_unplanted_decoy": 0,
        "sites_rewritten": {}, "sites_planted": {},
    }
    for s in truth["sites"]:
        res["sites_planted"][s["kind"]] = res["sites_planted"].get(s["kind"], 0) + 1
    res["files_added"] = len(set(edit) - set(orig))
    res["files_removed"] = len(set(orig) - set(edit))
    examples = []
    for rel in sorted(set(orig) & set(edit)):
        with open(orig[rel], "rb") as fh:
            ob = fh.read()
        with open(edit[rel], "rb") as fh:
            nb = fh.read()
        if ob == nb:
            continue
        res["files_changed"] += 1
        ign = in_ignored(rel, ignored)
        relp = rel.replace(os.sep, "/")
        if ign:
            res["ignored_files_changed"] += 1
        elif relp in decoys:
            res["decoy_files_changed"] += 1
        elif relp not in sites_by_file:
            res["other_files_changed"] += 1
        regions = changed_regions(ob, nb)
        planted = sites_by_file.get(relp, [])
        used = set()
        for s in planted:
            hit = False
            for k, (first, last, text) in enumerate(regions):
                if first <= s["end_line"] and last >= s["line"] and TARGET.search(text):
                    hit = True
                    used.add(k)
            if hit:
                res["sites_rewritten"][s["kind"]] = res["sites_rewritten"].get(s["kind"], 0) + 1
        for k, (first, last, text) in enumerate(regions):
            overlaps = any(first <= s["end_line"] and last >= s["line"] for s in planted)
            if k in used or overlaps:
                continue
            res["regions_unplanted"] += 1
            if ign:
                res["regions_unplanted_ignored"] += 1
            elif relp in decoys:
                res["regions_unplanted_decoy"] += 1
            if len(examples) < 5:
                examples.append(f"{relp}:{first}")
    sp, sr = res["sites_planted"], res["sites_rewritten"]
    kinds = {s["kind"]: s for s in truth["sites"]}
    res["track_planted"] = sum(v for k, v in sp.items() if kinds[k]["track"])
    res["track_rewritten"] = sum(v for k, v in sr.items() if kinds[k]["track"])
    res["narrow_planted"] = sum(v for k, v in sp.items() if kinds[k]["narrow"])
    res["narrow_rewritten"] = sum(v for k, v in sr.items() if kinds[k]["narrow"])
    res["other_planted"] = sum(v for k, v in sp.items() if not kinds[k]["track"])
    res["other_rewritten"] = sum(v for k, v in sr.items() if not kinds[k]["track"])
    res["unplanted_examples"] = examples
    if a.name:
        res["peer"] = a.name
    text = json.dumps(res, indent=1, sort_keys=True)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    print(f"{a.name or 'tool'}: tracking sites rewritten {res['track_rewritten']}/{res['track_planted']} "
          f"(narrow targets {res['narrow_rewritten']}/{res['narrow_planted']}), other Amplitude calls "
          f"{res['other_rewritten']}/{res['other_planted']}, edits elsewhere {res['regions_unplanted']} "
          f"(ignored dirs {res['regions_unplanted_ignored']}, look-alikes {res['regions_unplanted_decoy']}), "
          f"files changed {res['files_changed']}")


def cmd_rg(a):
    truth = load(a.truth)
    ignored = set(truth.get("ignored_dirs", ["node_modules", ".venv"]))
    amp = set(truth["amp_files"])
    decoys = set(truth.get("decoy_files", []))
    listed = []
    with open(a.list, encoding="utf-8") as fh:
        for ln in fh:
            ln = ln.strip()
            if not ln:
                continue
            if a.root:
                ln = os.path.relpath(ln, a.root)
            listed.append(ln.replace(os.sep, "/"))
    res = {
        "files_listed": len(listed),
        "amp_files_listed": sum(1 for x in listed if x in amp),
        "amp_files": len(amp),
        "decoy_files_listed": sum(1 for x in listed if x in decoys),
        "ignored_files_listed": sum(1 for x in listed if in_ignored(x, ignored)),
    }
    res["other_files_listed"] = res["files_listed"] - res["amp_files_listed"] - res["decoy_files_listed"] - res["ignored_files_listed"]
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(res, indent=1, sort_keys=True) + "\n")
    print(f"rg: {res['files_listed']} files listed, {res['amp_files_listed']}/{res['amp_files']} Amplitude files, "
          f"{res['decoy_files_listed']} look-alikes, {res['ignored_files_listed']} in ignored dirs")


def peak_kib(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for ln in fh:
                if "Maximum resident set size" in ln:
                    return int(ln.rsplit(":", 1)[1])
    except OSError:
        pass
    return None


PEER_ORDER = ["rg", "pyread", "ast-grep", "jscodeshift", "libcst", "amp2mp-codemod"]


def cmd_table(a):
    rows = []
    for tree in sorted(os.listdir(a.results), key=lambda t: ({"tiny": 0, "small": 1, "large": 2}.get(t, 3), t)):
        tdir = os.path.join(a.results, tree)
        if not os.path.isdir(tdir) or not os.path.exists(os.path.join(tdir, "truth.json")):
            continue
        truth = load(os.path.join(tdir, "truth.json"))
        nfiles = truth["source_files"]
        med = {}
        peers = sorted({f.split(".", 1)[0] for f in os.listdir(tdir) if f.endswith(".hyperfine.json")},
                       key=lambda p: (PEER_ORDER.index(p) if p in PEER_ORDER else 99, p))
        for p in peers:
            hf = load(os.path.join(tdir, f"{p}.hyperfine.json"))["results"][0]
            med[p] = (statistics.median(hf["times"]), min(hf["times"]), max(hf["times"]), len(hf["times"]))
        for p in peers:
            m, lo, hi, n = med[p]
            kib = peak_kib(os.path.join(tdir, f"{p}.time.txt"))
            ratio = f"{m / med['rg'][0]:.1f}" if "rg" in med and med["rg"][0] > 0 else "-"
            sc_path = os.path.join(tdir, f"{p}.score.json")
            found = "-"
            elsewhere = "-"
            if os.path.exists(sc_path):
                sc = load(sc_path)
                if "files_listed" in sc:
                    found = f"{sc['amp_files_listed']}/{sc['amp_files']} Amplitude files (+{sc['files_listed'] - sc['amp_files_listed']} other files)"
                else:
                    found = f"{sc['track_rewritten']}/{sc['track_planted']}"
                    if sc["other_rewritten"]:
                        found += f" (+{sc['other_rewritten']}/{sc['other_planted']} other calls)"
                    elsewhere = f"{sc['regions_unplanted']}"
                    if sc["regions_unplanted"]:
                        elsewhere += f" ({sc['regions_unplanted_ignored']} ignored-dir, {sc['regions_unplanted_decoy']} look-alike)"
            rows.append([tree, p, f"{m:.3f}", f"{lo:.3f}–{hi:.3f} (n={n})",
                         f"{kib / 1024:.0f}" if kib else "-", f"{nfiles / m:,.0f}", ratio, found, elsewhere])
    head = ["tree", "peer", "median wall s", "min–max s", "peak RSS MiB", "files/s", "× rg",
            "tracking sites rewritten", "edits off the planted sites"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("edits")
    e.add_argument("--truth", required=True)
    e.add_argument("--orig", required=True)
    e.add_argument("--edited", required=True)
    e.add_argument("--name")
    e.add_argument("--out")
    r = sub.add_parser("rg")
    r.add_argument("--truth", required=True)
    r.add_argument("--list", required=True)
    r.add_argument("--root")
    r.add_argument("--out")
    t = sub.add_parser("table")
    t.add_argument("--results", required=True)
    a = ap.parse_args()
    {"edits": cmd_edits, "rg": cmd_rg, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
