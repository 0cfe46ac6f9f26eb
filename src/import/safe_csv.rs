//! The one writer of every CSV ShopDesk writes (the product export, the marketplaces'
//! batch-ship file): a cell that a spreadsheet would run as a formula (it starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return) is written with a leading apostrophe, which
//! spreadsheets show as text and the product import strips again
//! (`domain::inventory::neutralise_cell`). A name such as `=HYPERLINK(…)` in an order or a
//! courier never runs on the owner's machine.

use std::io::Write;

use crate::domain::inventory::neutralise_cell;

/// A CSV writer whose every cell is neutralised.
pub struct SafeCsv<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> SafeCsv<W> {
    pub fn new(out: W) -> SafeCsv<W> {
        SafeCsv {
            writer: csv::Writer::from_writer(out),
        }
    }

    /// Writes one record, each cell made safe.
    pub fn record<I, S>(&mut self, cells: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.writer
            .write_record(cells.into_iter().map(|c| neutralise_cell(c.as_ref())))
    }

    /// Flushes what is buffered and gives the output back.
    pub fn finish(self) -> Result<W, std::io::Error> {
        self.writer
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_written_as_text() {
        let mut csv = SafeCsv::new(Vec::new());
        csv.record(["订单编号", "物流公司", "运单号"])
            .expect("header");
        csv.record(["=1+2", "@SUM(A1)", "SF123"]).expect("row");
        csv.record(["-5", "+86 138", "=HYPERLINK(\"http://x\")"])
            .expect("row");
        let text = String::from_utf8(csv.finish().expect("finish")).expect("utf8");
        assert_eq!(
            text,
            "订单编号,物流公司,运单号\n'=1+2,'@SUM(A1),SF123\n'-5,'+86 138,\"'=HYPERLINK(\"\"http://x\"\")\"\n"
        );
    }
}
