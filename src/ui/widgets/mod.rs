//! Widgets more than one tab draws: the file picker, the order checklist of the shipping
//! tabs, the row with the last document, and the one confirmation for destructive actions.

mod checklist;
mod confirm;
mod file_picker;
mod output;

pub use checklist::{choose_bar_ui, order_checklist_ui};
pub use confirm::confirm_ui;
pub use file_picker::{FileKind, FilePicker};
pub use output::{Opening, cannot_open_text, output_ui};
