"""The benchmark's ReportLab side: the same 100x150 mm waybills ShopDesk draws (same
fields and positions, the same WenQuanYi Micro Hei font embedded as a subset, a Code128
barcode of the tracking number), from the JSON the Rust bench writes.

usage: python3 reportlab_labels.py LABELS.json FONT.ttf OUT.pdf
Prints `font_seconds=… seconds=…` (seconds = drawing + saving, after the font is loaded).
"""

import json
import sys
import time

from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

W, H = 100 * mm, 150 * mm
FONT = "WQY"


def text(c, x, top, size, s, align="left"):
    """One line whose box top is `top` mm from the page top."""
    if not s:
        return
    c.setFont(FONT, size)
    y = H - top * mm - size * 0.92
    if align == "center":
        c.drawCentredString(x * mm, y, s)
    elif align == "right":
        c.drawRightString(x * mm, y, s)
    else:
        c.drawString(x * mm, y, s)


def fit_line(c, x, top, width, size, min_size, s):
    while size > min_size and pdfmetrics.stringWidth(s, FONT, size) > width * mm:
        size -= 0.5
    text(c, x, top, size, s)


def box(c, x, top, width, height, size, min_size, s):
    while True:
        lines = simpleSplit(s, FONT, size, width * mm)
        lh = size * 1.25 / mm
        if len(lines) * lh <= height or size - 0.5 < min_size:
            break
        size -= 0.5
    for i, line in enumerate(lines):
        text(c, x, top + i * size * 1.25 / mm, size, line)


def hline(c, y):
    c.line(2 * mm, H - y * mm, 98 * mm, H - y * mm)


def label(c, o):
    c.setLineWidth(1)
    c.rect(2 * mm, 2 * mm, 96 * mm, 146 * mm)
    fit_line(c, 4, 4, 60, 16, 9, o["courier"])
    hline(c, 14)
    bars = code128.Code128(o["tracking"], barHeight=17 * mm, barWidth=0.33 * mm, quiet=True)
    bars.drawOn(c, (W - bars.width) / 2, H - 33 * mm)
    text(c, 50, 34, 11, o["tracking"], "center")
    hline(c, 40)
    text(c, 4, 41, 7, "收件人 To")
    fit_line(c, 4, 45, 92, 13, 8, o["name"] + "  " + o["phone"])
    fit_line(c, 4, 52, 92, 14, 8, o["region"])
    box(c, 4, 59, 92, 14.5, 11, 6.5, o["address"])
    text(c, 4, 74.5, 9, "邮编 " + o["postcode"])
    hline(c, 80)
    text(c, 4, 81, 7, "寄件人 From")
    fit_line(c, 4, 84, 92, 9, 6, o["sender"])
    box(c, 4, 88, 92, 7.5, 8, 5.5, o["sender_address"])
    hline(c, 96)
    text(c, 4, 97, 7, "物品 Goods")
    box(c, 4, 100.5, 92, 14, 9, 5.5, o["goods"])
    text(c, 4, 115.5, 10, "数量 Qty: %d" % o["quantity"])
    hline(c, 122)
    text(c, 4, 123.5, 7, "订单号 Order")
    fit_line(c, 4, 127.5, 44, 10, 6, o["order_no"])
    text(c, 4, 133, 7, o["courier"])
    c.setLineWidth(0.6)
    c.rect(52 * mm, H - 146 * mm, 44 * mm, 22 * mm)
    text(c, 54, 125, 7, "签收人 Signature")
    text(c, 54, 140.5, 7, "日期 Date")
    c.showPage()


def main():
    labels_path, font_path, out = sys.argv[1:4]
    with open(labels_path, encoding="utf-8") as f:
        labels = json.load(f)
    t0 = time.perf_counter()
    pdfmetrics.registerFont(TTFont(FONT, font_path))  # subset on save (ReportLab default)
    t1 = time.perf_counter()
    c = canvas.Canvas(out, pagesize=(W, H))
    for o in labels:
        label(c, o)
    c.save()
    t2 = time.perf_counter()
    print("font_seconds=%.4f seconds=%.4f" % (t1 - t0, t2 - t1))


if __name__ == "__main__":
    main()
