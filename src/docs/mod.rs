//! Shipping documents as PDFs (printpdf): batch pick lists, packing slips and courier
//! waybills, plus the calibration page of a pre-printed form. Input is plain view
//! structs from `domain::shipping`; no SQL here. Every document embeds the bundled CJK
//! font, subset to the glyphs used.
//!
//! Coordinates in this module are millimetres from the **top-left** corner of the page;
//! [`Page`] turns them into PDF points from the bottom-left.

pub mod barcode;
pub mod fonts;
pub mod handover;
pub mod picklist;
pub mod slips;
pub mod waybill;

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextRenderingMode,
};

use crate::domain::shipping::{Fitted, fit_text};
use fonts::{Font, MM_PER_PT};

/// A finished document: the PDF bytes and what did not fit as it should (the text is
/// still all there, only smaller or overflowing its box).
#[derive(Debug, Default)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<String>,
}

/// Progress of a long document: called with (done, total); returns false to cancel.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize) -> bool;

/// The message when a job is cancelled.
pub const CANCELLED: &str = "cancelled";

fn pt(mm: f32) -> Pt {
    Pt(mm / MM_PER_PT)
}

/// A document being built: the font registered once, then pages.
pub(crate) struct Doc {
    doc: PdfDocument,
    font_id: FontId,
    font: &'static Font,
    pages: Vec<PdfPage>,
    pub warnings: Vec<String>,
}

impl Doc {
    pub fn new(title: &str) -> Result<Doc, String> {
        let font = fonts::font()?;
        let mut doc = PdfDocument::new(title);
        let font_id = doc.add_font(&font.parsed);
        Ok(Doc {
            doc,
            font_id,
            font,
            pages: Vec::new(),
            warnings: Vec::new(),
        })
    }

    pub fn page(&self, width: f32, height: f32) -> Page {
        Page {
            width,
            height,
            ops: Vec::with_capacity(256),
            font_id: self.font_id.clone(),
            font: self.font,
            bold: false,
            warnings: Vec::new(),
        }
    }

    pub fn push(&mut self, mut page: Page) {
        self.warnings.append(&mut page.warnings);
        self.pages
            .push(PdfPage::new(Mm(page.width), Mm(page.height), page.ops));
    }

    pub fn finish(mut self) -> Rendered {
        let pages = self.pages.len();
        self.doc.with_pages(self.pages);
        let mut warnings = Vec::new();
        let pdf = self.doc.save(&PdfSaveOptions::default(), &mut warnings);
        Rendered {
            pdf,
            pages,
            warnings: self.warnings,
        }
    }
}

/// One page being drawn, in mm from the top-left.
pub(crate) struct Page {
    pub width: f32,
    pub height: f32,
    ops: Vec<Op>,
    font_id: FontId,
    font: &'static Font,
    bold: bool,
    /// Characters the font cannot draw (they would print as nothing): reported.
    warnings: Vec<String>,
}

/// Where a text sits horizontally relative to `x`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

impl Page {
    pub fn measure(&self, text: &str, size: f32) -> f32 {
        self.font.width_mm(text, size)
    }

    /// Line height for a size in points, in mm.
    pub fn line_height(size: f32) -> f32 {
        size * MM_PER_PT * 1.25
    }

    /// Draws the next texts with a stroked outline too (a heavier look from one font).
    pub fn set_bold(&mut self, bold: bool) {
        self.bold = bold;
    }

    /// One line of text whose box top is at `top`.
    pub fn text(&mut self, x: f32, top: f32, size: f32, align: Align, text: &str) {
        if text.is_empty() {
            return;
        }
        if !self.font.covers(text) {
            let missing: String = text
                .chars()
                .filter(|c| !self.font.covers(&c.to_string()))
                .collect();
            self.warnings.push(format!(
                "the font has no glyph for {missing:?} (in {text:?}): those characters do not print"
            ));
        }
        let width = self.measure(text, size);
        let left = match align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        let baseline = top + size * MM_PER_PT * 0.92;
        self.ops.push(Op::StartTextSection);
        // The rendering mode is graphics state: it outlives the text section, so set it
        // on every text.
        if self.bold {
            self.ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::FillStroke,
            });
            self.ops.push(Op::SetOutlineThickness {
                pt: Pt(size / 30.0),
            });
        } else {
            self.ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            });
        }
        self.ops.push(Op::SetFont {
            font: PdfFontHandle::External(self.font_id.clone()),
            size: Pt(size),
        });
        self.ops.push(Op::SetTextCursor {
            pos: Point {
                x: pt(left),
                y: pt(self.height - baseline),
            },
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_owned())],
        });
        self.ops.push(Op::EndTextSection);
    }

    /// Text fitted into a box: shrinks from `size` to `min_size`, wraps to the lines the
    /// box holds; if it still does not fit, draws every line anyway and records a warning
    /// (`what` names the field). Returns the height used.
    #[allow(clippy::too_many_arguments)]
    pub fn text_box(
        &mut self,
        x: f32,
        top: f32,
        width: f32,
        height: f32,
        size: f32,
        min_size: f32,
        text: &str,
        what: &str,
        warnings: &mut Vec<String>,
    ) -> f32 {
        let fitted = self.fit(text, width, height, size, min_size);
        if fitted.overflow {
            warnings.push(format!(
                "{what}: the text does not fit its box; printed smaller and longer"
            ));
        }
        let lh = Page::line_height(fitted.size);
        for (i, line) in fitted.lines.iter().enumerate() {
            self.text(x, top + i as f32 * lh, fitted.size, Align::Left, line);
        }
        fitted.lines.len() as f32 * lh
    }

    pub fn fit(&self, text: &str, width: f32, height: f32, size: f32, min_size: f32) -> Fitted {
        let font = self.font;
        let measure = move |t: &str, s: f32| font.width_mm(t, s);
        let lines_at = |s: f32| ((height / Page::line_height(s)).floor() as usize).max(1);
        // The number of lines depends on the size: try each size with its own line count.
        let mut current = size;
        loop {
            let fitted = fit_text(text, width, lines_at(current), current, current, &measure);
            if !fitted.overflow || current - 0.5 < min_size {
                return fitted;
            }
            current -= 0.5;
        }
    }

    #[allow(clippy::too_many_arguments)]
    /// A single line shrunk to fit `width` (down to `min_size`); returns the size used.
    pub fn text_fit_line(
        &mut self,
        x: f32,
        top: f32,
        width: f32,
        size: f32,
        min_size: f32,
        align: Align,
        text: &str,
    ) -> f32 {
        let mut s = size;
        while s > min_size && self.measure(text, s) > width {
            s -= 0.5;
        }
        self.text(x, top, s, align, text);
        s
    }

    pub fn fill_rect(&mut self, x: f32, top: f32, width: f32, height: f32) {
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: pt(x),
                y: pt(self.height - top - height),
                width: pt(width),
                height: pt(height),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    pub fn stroke_rect(&mut self, x: f32, top: f32, width: f32, height: f32, thickness: f32) {
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: pt(x),
                y: pt(self.height - top - height),
                width: pt(width),
                height: pt(height),
                mode: Some(PaintMode::Stroke),
                winding_order: None,
            },
        });
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32) {
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        let p = |x: f32, y: f32| LinePoint {
            p: Point {
                x: pt(x),
                y: pt(self.height - y),
            },
            bezier: false,
        };
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![p(x1, y1), p(x2, y2)],
                is_closed: false,
            },
        });
    }

    pub fn grey(&mut self, level: f32) {
        self.ops.push(Op::SetFillColor {
            col: Color::Greyscale(Greyscale {
                percent: level,
                icc_profile: None,
            }),
        });
    }

    /// A Code128 barcode centred on `center_x`, `height` mm tall, at most `max_width`
    /// wide (quiet zones included). Returns its width; warns when the modules had to be
    /// narrower than a label printer resolves.
    pub fn barcode(
        &mut self,
        center_x: f32,
        top: f32,
        max_width: f32,
        height: f32,
        data: &str,
        warnings: &mut Vec<String>,
    ) -> f32 {
        match barcode::bars(data, max_width) {
            Ok(barcode::Bars {
                bars,
                width,
                module,
            }) => {
                if module < barcode::MIN_MODULE_MM {
                    warnings.push(format!(
                        "barcode {data}: bars {module:.2} mm wide, too thin for some printers"
                    ));
                }
                let left = center_x - width / 2.0;
                self.grey(0.0);
                for (x, w) in bars {
                    self.fill_rect(left + x, top, w, height);
                }
                width
            }
            Err(e) => {
                warnings.push(e);
                0.0
            }
        }
    }
}
