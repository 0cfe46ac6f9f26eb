//! Widgets more than one tab draws: the file picker, the order checklist of the shipping
//! tabs, the row with the last document, the one confirmation for destructive actions, the
//! scan field of every scanning screen, and the frame of a field a pasted address left unsure.

mod checklist;
mod confirm;
mod file_picker;
mod output;
mod scan;
mod unsure;

pub use checklist::{choose_bar_ui, order_checklist_ui};
pub use confirm::confirm_ui;
pub use file_picker::{FileKind, FilePicker};
pub use output::{Opening, cannot_open_text, output_ui};
pub use scan::ScanField;
pub use unsure::unsure_frame_ui;
