//! Shipping documents end to end: the `shopdesk` binary writes the PDFs, hayro reads and
//! renders them (page sizes, text, pixels) and rxing reads the barcodes from the pixels, as
//! a scanner at the courier would. Both are pure Rust, so the test needs no system package.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;
use std::path::Path;

use hayro::hayro_interpret::font::{Glyph, GlyphId, GlyphRun};
use hayro::hayro_interpret::hayro_cmap::BfString;
use hayro::hayro_interpret::hayro_syntax::Pdf;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask, interpret_page,
};
use hayro::kurbo::{BezPath, Point, Rect};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};
use rxing::helpers::detect_multiple_in_luma_with_hints;
use rxing::{BarcodeFormat, DecodeHints};

use common::{ok, shopdesk};
use shopdesk::domain::model::NewProduct;
use shopdesk::domain::shipping::plan_pick_list;
use shopdesk::domain::{Event, OrderState};
use shopdesk::store::{OrderQuery, Store};

/// A PDF the binary wrote, parsed by hayro.
fn read_pdf(pdf: &Path) -> Pdf {
    let bytes = std::fs::read(pdf).expect("the PDF was written");
    Pdf::new(bytes).unwrap_or_else(|e| panic!("{} does not parse: {e:?}", pdf.display()))
}

/// Page size in points, the same on every page (as `pdfinfo` would print it).
fn page_size(pdf: &Path) -> (f32, f32) {
    let pdf = read_pdf(pdf);
    let sizes: Vec<(f32, f32)> = pdf
        .pages()
        .iter()
        .map(|page| page.render_dimensions())
        .collect();
    let first = *sizes.first().expect("a page");
    assert!(sizes.iter().all(|s| *s == first), "{sizes:?}");
    first
}

fn pages(pdf: &Path) -> usize {
    read_pdf(pdf).pages().len()
}

/// One page rendered at `dpi` on white, as 8-bit luma. `black_and_white` paints a pixel
/// only where a shape covers more than half of it, as a thermal printer burns a dot or not.
fn render(pdf: &Path, page: usize, dpi: f32, black_and_white: bool) -> (Vec<u8>, u32, u32) {
    let pdf = read_pdf(pdf);
    let page = pdf.pages().get(page - 1).expect("the page exists");
    let scale = dpi / 72.0;
    let render_settings = RenderSettings {
        aliasing_threshold: black_and_white.then_some(128),
        ..RenderSettings::default()
    };
    let pixmap = hayro::render(
        page,
        &RenderCache::new(),
        &InterpreterSettings::default(),
        &render_settings,
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: WHITE,
        },
    );
    let luma: Vec<u8> = pixmap
        .data()
        .iter()
        .map(|p| {
            let grey = (u16::from(p.r) + u16::from(p.g) + u16::from(p.b)) / 3;
            match (black_and_white, grey) {
                (false, grey) => grey as u8,
                (true, grey) if grey < 128 => 0,
                (true, _) => 255,
            }
        })
        .collect();
    (luma, u32::from(pixmap.width()), u32::from(pixmap.height()))
}

/// The Code128 barcodes on one page rendered at `dpi`, read by rxing (ZXing) as a scanner
/// at the courier would, sorted.
fn barcodes_at(pdf: &Path, page: usize, dpi: f32, black_and_white: bool) -> Vec<String> {
    let (luma, width, height) = render(pdf, page, dpi, black_and_white);
    let mut hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::CODE_128])),
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let mut found: Vec<String> =
        detect_multiple_in_luma_with_hints(luma, width, height, &mut hints)
            .unwrap_or_default()
            .iter()
            .map(|r| r.getText().to_owned())
            .collect();
    found.sort();
    found
}

/// The Code128 barcodes on one page rendered at 300 dpi in grey.
fn barcodes(pdf: &Path, page: usize) -> Vec<String> {
    barcodes_at(pdf, page, 300.0, false)
}

/// A glyph as drawn: where its baseline starts and ends on the page (points from the
/// top-left), its size, and its text, or U+FFFD when the embedded font has no outline for
/// it (a missing glyph prints as a blank or a box, so it must not count as text).
struct Placed {
    x: f64,
    end: f64,
    y: f64,
    size: f64,
    text: String,
}

/// A hayro device that draws nothing and keeps the glyphs.
#[derive(Default)]
struct Glyphs(Vec<Placed>);

impl<'a> Device<'a> for Glyphs {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        for glyph in run.glyphs() {
            let place = props.transform * glyph.transform();
            let origin = place * Point::ZERO;
            let (drawn, advance) = match &**glyph {
                Glyph::Outline(outline) => (
                    outline.glyph_id() != GlyphId::NOTDEF
                        && (!outline.outline().elements().is_empty() || glyph_is_blank(glyph)),
                    f64::from(outline.advance_width().unwrap_or(0.0)),
                ),
                Glyph::Type3(t3) => (true, f64::from(t3.advance_width().unwrap_or(0.0))),
            };
            let text = match glyph.as_unicode() {
                Some(_) if !drawn => "\u{FFFD}".to_owned(),
                Some(BfString::Char(c)) => c.to_string(),
                Some(BfString::String(s)) => s,
                None => "\u{FFFD}".to_owned(),
            };
            self.0.push(Placed {
                x: origin.x,
                end: (place * Point::new(advance, 0.0)).x,
                y: origin.y,
                size: (place * Point::new(0.0, 1000.0) - origin).hypot(),
                text,
            });
        }
    }
}

/// A glyph whose character draws nothing (a space) has no outline and is still text.
fn glyph_is_blank(glyph: &Glyph<'_>) -> bool {
    matches!(glyph.as_unicode(), Some(BfString::Char(c)) if c.is_whitespace())
}

/// The text of one page, or of every page, in reading order: glyphs on one baseline make a
/// line, left to right, and a gap wider than a fifth of the font size is a space, much as
/// `pdftotext -layout` lays it out. The characters come from the font's ToUnicode map.
fn pdf_text(pdf: &Path, only: Option<usize>) -> String {
    let pdf = read_pdf(pdf);
    let mut out = String::new();
    for (index, page) in pdf.pages().iter().enumerate() {
        if only.is_some_and(|p| p != index + 1) {
            continue;
        }
        let cache = InterpreterCache::new();
        let (width, height) = page.render_dimensions();
        let mut context = Context::new(
            page.initial_transform(true).to_kurbo(),
            Rect::new(0.0, 0.0, f64::from(width), f64::from(height)),
            &cache,
            page.xref(),
            InterpreterSettings::default(),
        );
        let mut glyphs = Glyphs::default();
        interpret_page(page, &mut context, &mut glyphs);
        let mut glyphs = glyphs.0;
        glyphs.sort_by(|a, b| a.y.total_cmp(&b.y));
        let mut lines: Vec<Vec<Placed>> = Vec::new();
        for glyph in glyphs {
            match lines.last_mut() {
                Some(line) if (line[0].y - glyph.y).abs() < 0.3 * line[0].size.max(glyph.size) => {
                    line.push(glyph)
                }
                _ => lines.push(vec![glyph]),
            }
        }
        for mut line in lines {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            // Bold text is filled and stroked: each glyph comes twice at one place.
            line.dedup_by(|b, a| {
                a.text == b.text && (a.x - b.x).abs() < 0.01 && (a.y - b.y).abs() < 0.01
            });
            let mut end = None;
            for glyph in line {
                if end.is_some_and(|end: f64| glyph.x - end > 0.2 * glyph.size) {
                    out.push(' ');
                }
                out.push_str(&glyph.text);
                end = Some(glyph.end);
            }
            out.push('\n');
        }
        out.push('\u{0C}');
    }
    out
}

/// A shop with bins out of natural order, a bundle and five approved orders.
fn shop(db: &Path) -> Vec<(String, Vec<(&'static str, i64)>)> {
    let mut store = Store::open(db).expect("store");
    let product = |code: &str, bin: &str, components: Vec<(String, i64)>| NewProduct {
        attributes: vec![
            ("颜色".to_owned(), "红色".to_owned()),
            ("尺码".to_owned(), "XL".to_owned()),
        ],
        ..common::product(code, bin, components)
    };
    store
        .upsert_products(&[
            product("CUP", "A10", vec![]),
            product("TEA", "A2", vec![]),
            product("SPOON", "B1", vec![]),
            product(
                "GIFT",
                "",
                vec![("CUP".to_owned(), 1), ("TEA".to_owned(), 2)],
            ),
        ])
        .expect("products");
    for code in ["CUP", "TEA", "SPOON"] {
        store
            .adjust_stock(code, 100, "opening", "owner")
            .expect("stock");
    }
    let orders: Vec<(String, Vec<(&str, i64)>)> = vec![
        ("9001".into(), vec![("GIFT", 2), ("CUP", 1)]),
        ("9002".into(), vec![("TEA", 3)]),
        ("9003".into(), vec![("SPOON", 1), ("GIFT", 1)]),
        ("9004".into(), vec![("CUP", 4)]),
        ("9005".into(), vec![("SPOON", 2)]),
    ];
    for (i, (no, lines)) in orders.iter().enumerate() {
        let id = store
            .insert_orders(&[common::order(no, lines, i == 4)], "test", "owner")
            .expect("insert")[0];
        store
            .apply_event(id, Event::Review, "owner")
            .expect("review");
    }
    orders
}

#[test]
fn pick_list_slips_waybills_and_batch_ship_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let orders = shop(&db);
    let numbers: Vec<&str> = orders.iter().map(|(no, _)| no.as_str()).collect();

    // Pick list: totals per single item equal the orders' lines with bundles exploded.
    let pick = dir.path().join("pick.pdf");
    let mut args = vec!["picklist"];
    args.extend(&numbers);
    args.extend(["--out", pick.to_str().expect("path")]);
    let said = ok(&shopdesk(&db, &args));
    assert!(said.contains("5 orders now printed"), "{said}");
    let a4 = page_size(&pick);
    assert!(
        (a4.0 - 595.276).abs() < 0.5 && (a4.1 - 841.89).abs() < 0.5,
        "{a4:?}"
    );
    fn bundle(code: &str) -> Vec<(&str, i64)> {
        match code {
            "GIFT" => vec![("CUP", 1), ("TEA", 2)],
            other => vec![(other, 1)],
        }
    }
    let mut expected: std::collections::BTreeMap<&str, i64> = Default::default();
    for (_, lines) in &orders {
        for (code, q) in lines {
            for (single, per) in bundle(code) {
                *expected.entry(single).or_default() += q * per;
            }
        }
    }
    assert_eq!(
        expected.iter().map(|(c, q)| (*c, *q)).collect::<Vec<_>>(),
        vec![("CUP", 8), ("SPOON", 3), ("TEA", 9)]
    );
    let store = Store::open(&db).expect("store");
    let ids: Vec<i64> = numbers
        .iter()
        .map(|n| store.find_order(n).expect("order"))
        .collect();
    let ship = store.ship_orders(&ids).expect("orders");
    let plan = plan_pick_list(&ship.iter().map(|o| o.pick_order()).collect::<Vec<_>>());
    // Walking order: A2 before A10 before B1; no bundle on the list.
    let planned: Vec<(&str, &str, i64)> = plan
        .iter()
        .map(|l| (l.bin.as_str(), l.code.as_str(), l.total))
        .collect();
    assert_eq!(
        planned,
        vec![("A2", "TEA", 9), ("A10", "CUP", 8), ("B1", "SPOON", 3)]
    );
    let text = pdf_text(&pick, None);
    for (bin, code, total) in &planned {
        let line = text
            .lines()
            .find(|l| l.contains(code) && l.contains(bin))
            .unwrap_or_else(|| panic!("{code} on the pick list:\n{text}"));
        assert!(
            line.split_whitespace().any(|w| w == total.to_string()),
            "{line}"
        );
    }
    assert!(!text.contains("GIFT"), "bundles are exploded:\n{text}");
    assert!(text.contains("拣货单"), "Chinese renders:\n{text}");
    assert!(text.contains("20 pieces"), "{text}");
    assert_eq!(barcodes(&pick, 1), vec!["PL000001"]);
    drop(store);

    // Orders moved to printed, with a print date.
    let store = Store::open(&db).expect("store");
    for id in &ids {
        let detail = store.order_detail(*id).expect("detail");
        assert_eq!(detail.row.state, OrderState::Printed);
        assert!(detail.dates.iter().any(|(kind, _)| *kind == "print"));
    }
    drop(store);

    // Slips: reprinting is allowed and logged.
    let slips = dir.path().join("slips.pdf");
    let mut args = vec!["slips"];
    args.extend(&numbers);
    args.extend(["--out", slips.to_str().expect("path")]);
    let said = ok(&shopdesk(&db, &args));
    assert!(said.contains("5 reprinted"), "{said}");
    assert_eq!(pages(&slips), 3, "two slips a page");
    let codes = barcodes(&slips, 1);
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert!(codes.contains(&"9001".to_owned()) && codes.contains(&"9002".to_owned()));
    let text = pdf_text(&slips, None);
    assert!(
        text.contains("请尽快发货") && text.contains("红色/XL"),
        "{text}"
    );

    // Waybills: numbers from the courier's pool, one label a page, each scans.
    ok(&shopdesk(
        &db,
        &["couriers", "add", "SF", "顺丰速运", "--size", "100x150"],
    ));
    let pool = dir.path().join("pool.txt");
    std::fs::write(&pool, "SF1000000001\nSF1000000002\nSF1000000003\n").expect("pool");
    let said = ok(&shopdesk(
        &db,
        &[
            "tracking",
            "import",
            "--courier",
            "SF",
            pool.to_str().expect("path"),
        ],
    ));
    assert!(said.contains("3 tracking numbers added"), "{said}");
    ok(&shopdesk(
        &db,
        &[
            "tracking",
            "set",
            "9004",
            "--courier",
            "SF",
            "75312345678901",
        ],
    ));
    let waybills = dir.path().join("waybills.pdf");
    let args_short = [
        "waybills",
        "9001",
        "9002",
        "9003",
        "9004",
        "9005",
        "--courier",
        "SF",
    ];
    let mut args: Vec<&str> = args_short.to_vec();
    args.extend(["--out", waybills.to_str().expect("path")]);
    let out = shopdesk(&db, &args);
    assert!(
        !out.status.success(),
        "four orders need numbers, the pool has three"
    );
    assert!(!waybills.exists());
    std::fs::write(&pool, "SF1000000004\nSF1000000001\n").expect("pool");
    let said = ok(&shopdesk(
        &db,
        &[
            "tracking",
            "import",
            "--courier",
            "SF",
            pool.to_str().expect("path"),
        ],
    ));
    assert!(
        said.contains("1 tracking numbers added, 1 skipped"),
        "{said}"
    );
    ok(&shopdesk(&db, &args));
    assert_eq!(pages(&waybills), 5);
    let size = page_size(&waybills);
    assert!(
        (size.0 - 283.46).abs() < 0.5 && (size.1 - 425.2).abs() < 0.5,
        "{size:?}"
    );
    let bytes = std::fs::metadata(&waybills).expect("pdf").len();
    assert!(bytes / 5 < 30 * 1024, "{bytes} bytes for 5 labels");
    let expected = [
        "SF1000000001",
        "SF1000000002",
        "SF1000000003",
        "75312345678901",
        "SF1000000004",
    ];
    for (page, number) in expected.iter().enumerate() {
        assert_eq!(barcodes(&waybills, page + 1), vec![number.to_string()]);
    }
    let text = pdf_text(&waybills, Some(1));
    assert!(
        text.contains("欧阳娜娜") && text.contains("浙江省"),
        "{text}"
    );
    assert!(text.contains("CUP/红色/XL×3;TEA/红色/XL×4"), "{text}");
    let text = pdf_text(&waybills, Some(5));
    assert!(text.contains("代收"), "cash on delivery shows:\n{text}");

    // Other sizes, phone masked.
    let small = dir.path().join("small.pdf");
    ok(&shopdesk(
        &db,
        &[
            "waybills",
            "9001",
            "--courier",
            "SF",
            "--size",
            "4x6",
            "--mask-phone",
            "--out",
            small.to_str().expect("path"),
        ],
    ));
    let size = page_size(&small);
    assert!(
        (size.0 - 288.0).abs() < 0.5 && (size.1 - 432.0).abs() < 0.5,
        "{size:?}"
    );
    let text = pdf_text(&small, None);
    assert!(
        text.contains("138****5678") && !text.contains("13812345678"),
        "{text}"
    );
    assert_eq!(barcodes(&small, 1), vec!["SF1000000001"]);

    // The narrow 76×130 label scans as a 203 dpi thermal printer prints it: black or white
    // dots, no grey.
    let narrow = dir.path().join("narrow.pdf");
    ok(&shopdesk(
        &db,
        &[
            "waybills",
            "9002",
            "--courier",
            "SF",
            "--size",
            "76x130",
            "--out",
            narrow.to_str().expect("path"),
        ],
    ));
    let size = page_size(&narrow);
    assert!(
        (size.0 - 215.43).abs() < 0.5 && (size.1 - 368.5).abs() < 0.5,
        "{size:?}"
    );
    assert_eq!(barcodes_at(&narrow, 1, 203.0, true), vec!["SF1000000002"]);

    // The batch ship CSV.
    let csv = dir.path().join("shipped.csv");
    ok(&shopdesk(
        &db,
        &[
            "shipped-csv",
            "--since",
            "2000-01-01",
            "--out",
            csv.to_str().expect("path"),
        ],
    ));
    let csv = std::fs::read_to_string(&csv).expect("csv");
    assert!(csv.starts_with("订单编号,物流公司,运单号\n"), "{csv}");
    assert!(csv.contains("9001,顺丰速运,SF1000000001\n"), "{csv}");
    assert_eq!(csv.lines().count(), 6, "{csv}");
}

#[test]
fn unprintable_orders_are_refused_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    shop(&db);
    {
        let mut store = Store::open(&db).expect("store");
        let id = store.find_order("9002").expect("order");
        store.apply_event(id, Event::Hold, "owner").expect("hold");
    }
    let pick = dir.path().join("pick.pdf");
    let out = shopdesk(
        &db,
        &[
            "picklist",
            "9001",
            "9002",
            "--out",
            pick.to_str().expect("path"),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("9002"));
    assert!(!pick.exists());
    let store = Store::open(&db).expect("store");
    let printed = store
        .query_orders(&OrderQuery {
            state: Some(OrderState::Printed),
            ..OrderQuery::default()
        })
        .expect("query");
    assert!(printed.is_empty());
}

#[test]
fn pre_printed_form_and_calibration_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    shop(&db);
    let template = dir.path().join("form.txt");
    std::fs::write(
        &template,
        "size 230 127\nreceiver_name 20 30 50 8 12\nreceiver_address 20 40 90 14 10\ngoods 120 30 90 20 9\ntracking_no 120 60 60 8 12\n",
    )
    .expect("template");
    ok(&shopdesk(
        &db,
        &[
            "couriers",
            "add",
            "EMS",
            "中国邮政",
            "--template",
            template.to_str().expect("path"),
            "--offset-x",
            "1.5",
            "--offset-y",
            "-2",
        ],
    ));
    let calibration = dir.path().join("cal.pdf");
    ok(&shopdesk(
        &db,
        &[
            "couriers",
            "calibrate",
            "EMS",
            "--out",
            calibration.to_str().expect("path"),
        ],
    ));
    let size = page_size(&calibration);
    assert!(
        (size.0 - 651.97).abs() < 0.5 && (size.1 - 360.0).abs() < 0.5,
        "{size:?}"
    );
    let text = pdf_text(&calibration, None);
    assert!(
        text.contains("receiver_address") && text.contains("+1.5"),
        "{text}"
    );

    ok(&shopdesk(
        &db,
        &[
            "tracking",
            "set",
            "9001",
            "--courier",
            "EMS",
            "EA123456789CN",
        ],
    ));
    let form = dir.path().join("form.pdf");
    ok(&shopdesk(
        &db,
        &[
            "waybills",
            "9001",
            "--courier",
            "EMS",
            "--out",
            form.to_str().expect("path"),
        ],
    ));
    assert_eq!(page_size(&form), size);
    let text = pdf_text(&form, None);
    assert!(
        text.contains("欧阳娜娜") && text.contains("EA123456789CN"),
        "{text}"
    );
}
