//! Widgets more than one tab draws: the file picker, the order checklist of the shipping
//! tabs, the row with the last document, the one confirmation for destructive actions, and the
//! scan field of every scanning screen.

mod checklist;
mod confirm;
mod file_picker;
mod output;
mod scan;

pub use checklist::{choose_bar_ui, order_checklist_ui};
pub use confirm::confirm_ui;
pub use file_picker::{FileKind, FilePicker};
pub use output::{Opening, cannot_open_text, output_ui};
pub use scan::ScanField;
