#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/TARGET, not committed) from fixtures/.
# Run from anywhere; needs python3 for the spreadsheet seed.
set -euo pipefail
cd "$(dirname "$0")"
fx=../fixtures
seed() { # seed TARGET FILE...
    local target=$1
    shift
    mkdir -p "corpus/$target"
    for f in "$@"; do cp "$f" "corpus/$target/"; done
}
seed taobao "$fx"/taobao_orders_*.csv
# A pair: order report, NUL, item report (see fuzz_targets/taobao.rs).
for kind in utf8 gbk old quoted cr; do
    { cat "$fx/taobao_orders_$kind.csv"; printf '\0'; cat "$fx/taobao_items_$kind.csv"; } \
        > "corpus/taobao/pair_$kind"
done
seed shopify "$fx"/shopify_orders.csv "$fx"/shopify_orders_utf16.txt
seed mapped "$fx"/generic_orders.csv
seed jd "$fx"/jd_orders*.csv
seed pdd "$fx"/pdd_orders*.csv
seed douyin "$fx"/douyin_orders*.csv
seed products "$fx"/products*.csv "$fx"/supplier_*.csv
seed refunds "$fx"/taobao_refunds_*.csv
# The spreadsheet reader: JD's fixture as a stored (uncompressed) .xlsx, so that mutations
# reach the sheet's XML.
mkdir -p corpus/sheet
python3 - "$fx/jd_orders.csv" corpus/sheet/jd_orders.xlsx <<'PY'
import csv, sys, zipfile
from xml.sax.saxutils import escape
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8-sig")
except UnicodeDecodeError:
    text = data.decode("gb18030")
rows = list(csv.reader(text.splitlines()))
def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s
cells = "".join(
    f'<row r="{r + 1}">' + "".join(
        f'<c r="{col(c)}{r + 1}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
        for c, v in enumerate(row) if v) + "</row>"
    for r, row in enumerate(rows))
ns = "http://schemas.openxmlformats.org"
parts = {
    "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>',
}
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as z:
    for name, text in parts.items():
        z.writestr(name, text)
PY
# The address readers: the receiver addresses of the fixtures, one per file.
mkdir -p corpus/address
python3 - "$fx" corpus/address <<'PY'
import csv, glob, os, sys
n = 0
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*_orders*.csv"))):
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        continue
    for i, h in enumerate(rows[0]):
        if "地址" in h or "address" in h.lower():
            for row in rows[1:6]:
                if i < len(row) and row[i].strip():
                    n += 1
                    open(os.path.join(sys.argv[2], f"addr{n}"), "w").write(row[i])
PY
echo "corpora seeded: $(ls corpus | tr '\n' ' ')"
