#!/usr/bin/env python3
"""Runs the address case table (benches/address_cases.tsv) through cpca (PyPI) and prints
its accuracy and time per parse as one JSON line, to compare with ShopDesk's reader.

    pip install cpca        # pulls pandas, pyahocorasick
    python3 benches/address_cpca.py [benches/address_cases.tsv]

The table: tab separated, a header, then `input name phone province city district address
postcode`; in cells `\\t`, `\\n` and `\\\\` stand for a tab, a line break and a backslash.

A case is correct when province, city, district and address all match, the rule ShopDesk's
measure uses too. cpca's answers are normalised to ShopDesk's conventions before the
comparison, so only the reading is judged, not the way of writing it:
- missing values (None/NaN) are empty strings;
- the municipalities' city "市辖区" (or an empty city under a municipality) is the
  municipality's name: 北京市 / 北京市 / 朝阳区;
- "省直辖县级行政区划" / "自治区直辖县级行政区划" as the city is the district's name:
  湖北省 / 仙桃市 / 仙桃市; a city without districts and no district (东莞市) is its own
  district: 广东省 / 东莞市 / 东莞市;
- addresses are compared with all whitespace removed.
cpca does not read names, phones or postcodes, so these are not compared; it leaves them in
the address, which then does not match. `divisions_correct` counts the cases whose province,
city and district match, whatever the address.

Timing: each input is parsed alone (`cpca.transform([text])`, as a paste box would), after
one warm-up call that loads cpca's tables; mean and p99 in microseconds over all parses.
"""

import json
import os
import sys
import time

import cpca

MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
DIRECT = {"省直辖县级行政区划", "自治区直辖县级行政区划"}
NO_DISTRICTS = {"东莞市", "中山市", "儋州市", "嘉峪关市"}


def unescape(cell):
    out, i = [], 0
    while i < len(cell):
        c = cell[i]
        if c == "\\" and i + 1 < len(cell):
            nxt = cell[i + 1]
            out.append({"t": "\t", "n": "\n", "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def clean(value):
    if value is None:
        return ""
    if isinstance(value, float):  # NaN
        return ""
    return str(value).strip()


def normalise(province, city, district):
    if province in MUNICIPALITIES and city in ("", "市辖区", "县"):
        city = province
    if city in DIRECT:
        city = district
    if city in NO_DISTRICTS and district == "":
        district = city
    return province, city, district


def squash(text):
    return "".join(text.split())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "address_cases.tsv")
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f][1:]
    cases = [[unescape(c) for c in line.split("\t")] for line in lines if line.strip()]

    cpca.transform(["浙江省杭州市西湖区文三路100号"])  # loads cpca's tables
    times, correct, divisions_correct = [], 0, 0
    for case in cases:
        text, want = case[0], case[3:7]
        start = time.perf_counter()
        df = cpca.transform([text])
        times.append((time.perf_counter() - start) * 1e6)
        row = df.iloc[0]
        got = normalise(clean(row["省"]), clean(row["市"]), clean(row["区"]))
        address = clean(row["地址"])
        if list(got) == want[:3]:
            divisions_correct += 1
            if squash(address) == squash(want[3]):
                correct += 1
    times.sort()
    n = len(cases)
    print(
        json.dumps(
            {
                "parser": "cpca " + getattr(cpca, "__version__", "?"),
                "cases": n,
                "correct": correct,
                "accuracy": round(correct / n, 4),
                "divisions_correct": divisions_correct,
                "divisions_accuracy": round(divisions_correct / n, 4),
                "mean_us": round(sum(times) / n, 1),
                "p99_us": round(times[min(n - 1, int(n * 0.99))], 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
