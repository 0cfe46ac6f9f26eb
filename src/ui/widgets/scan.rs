//! The one scan field of every scanning screen (pack check, hand-over, stock count).
//!
//! A USB barcode scanner is a keyboard: it types the code and presses Enter, often faster
//! than a frame, so several scans can arrive in one frame. The field therefore reads the
//! keyboard events itself rather than through a text edit that gives up the focus on
//! Enter: every character and every Enter of the frame is taken, each Enter closes one
//! scan, and the scans wait in a queue until the screen takes them. The field takes the
//! keyboard back every frame, unless the user is typing into another text field or a
//! dialog is open; its id is fixed, so notices appearing and the layout moving never cost
//! it the focus.

use std::collections::VecDeque;

/// A scan field's state: what is being typed and the scans not handled yet.
#[derive(Debug)]
pub struct ScanField {
    salt: &'static str,
    /// The characters typed since the last Enter.
    pub typing: String,
    queue: VecDeque<String>,
}

/// The stock count's field.
impl Default for ScanField {
    fn default() -> ScanField {
        ScanField::new("count")
    }
}

impl ScanField {
    pub fn new(salt: &'static str) -> ScanField {
        ScanField {
            salt,
            typing: String::new(),
            queue: VecDeque::new(),
        }
    }

    /// The field's widget id: the same every frame, wherever it is drawn.
    pub fn id(&self) -> egui::Id {
        egui::Id::unique(("scan-field", self.salt))
    }

    /// The next scan to handle, oldest first.
    pub fn next_scan(&mut self) -> Option<String> {
        self.queue.pop_front()
    }

    /// Scans waiting to be handled.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Forgets what is half typed and every waiting scan (another count opened).
    pub fn reset(&mut self) {
        self.typing.clear();
        self.queue.clear();
    }

    /// A scan as if typed (tests, and buttons that stand for a scan).
    pub fn push(&mut self, scan: impl Into<String>) {
        let scan = scan.into();
        if !scan.trim().is_empty() {
            self.queue.push_back(scan.trim().to_owned());
        }
    }

    /// True when the scan field owns the keyboard this frame: the window has the system's
    /// keyboard focus, no other text field has the focus and no dialog is open. (Asking for
    /// the focus while the window has not got it yet, at start-up, keeps X11's input method
    /// busy and the window deaf.)
    fn owns_keyboard(&self, ctx: &egui::Context) -> bool {
        if !ctx.input(|i| i.focused) {
            return false;
        }
        let id = self.id();
        let elsewhere = ctx.memory(|m| m.focused()).is_some_and(|focused| {
            focused != id && egui::TextEdit::load_state(ctx, focused).is_some()
        });
        let modal = ctx.memory(|m| m.top_modal_layer().is_some());
        !elsewhere && !modal
    }

    /// Takes this frame's typing: characters, pastes, Backspace and Enter. Each Enter (or
    /// line of a paste) closes one scan.
    fn take_keys(&mut self, ctx: &egui::Context) {
        let mut closed = Vec::new();
        let typing = &mut self.typing;
        ctx.input_mut(|input| {
            input.events.retain(|event| match event {
                egui::Event::Text(text)
                | egui::Event::Ime(egui::ImeEvent::Commit(text))
                | egui::Event::Paste(text) => {
                    for c in text.chars() {
                        if c == '\n' || c == '\r' {
                            closed.push(std::mem::take(typing));
                        } else if !c.is_control() {
                            typing.push(c);
                        }
                    }
                    false
                }
                egui::Event::Key {
                    key: egui::Key::Enter,
                    pressed,
                    ..
                } => {
                    if *pressed {
                        closed.push(std::mem::take(typing));
                    }
                    false
                }
                egui::Event::Key {
                    key: egui::Key::Backspace,
                    pressed,
                    ..
                } => {
                    if *pressed {
                        typing.pop();
                    }
                    false
                }
                _ => true,
            });
        });
        for scan in closed {
            self.push(scan);
        }
    }

    /// Draws the field (`big`: the type of a station read from a metre away) and takes
    /// the keyboard when it may. Returns the field's response.
    pub fn ui(&mut self, ui: &mut egui::Ui, hint: &str, width: f32, big: bool) -> egui::Response {
        let ctx = ui.ctx().clone();
        let owns = self.owns_keyboard(&ctx);
        if owns {
            self.take_keys(&ctx);
        }
        let mut shown = self.typing.clone();
        let mut edit = egui::TextEdit::singleline(&mut shown)
            .id(self.id())
            .hint_text(hint)
            .desired_width(width);
        if big {
            edit = edit.font(egui::TextStyle::Heading);
        }
        let response = ui.add(edit);
        // The events were taken above; whatever the edit did with others (a click that
        // moved the caret) does not change what was typed. Focus is asked for only when
        // the field lost it: each request also interrupts the input method, and asking
        // every frame would keep the window repainting.
        if owns && !response.has_focus() {
            response.request_focus();
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: egui::Key) -> egui::Event {
        egui::Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        }
    }

    /// Runs one frame of a field with these events and returns the scans it queued.
    fn frame(field: &mut ScanField, events: Vec<egui::Event>) -> Vec<String> {
        let mut harness = egui_kittest::Harness::new_ui_state(
            |ui, field: &mut ScanField| {
                field.ui(ui, "scan", 200.0, false);
            },
            std::mem::replace(field, ScanField::new("test")),
        );
        for event in events {
            harness.event(event);
        }
        harness.run();
        *field = std::mem::replace(harness.state_mut(), ScanField::new("test"));
        std::iter::from_fn(|| field.next_scan()).collect()
    }

    #[test]
    fn several_scans_in_one_frame_are_all_queued_in_order() {
        let mut field = ScanField::new("test");
        let events = vec![
            egui::Event::Text("6901".into()),
            egui::Event::Text("234".into()),
            key(egui::Key::Enter),
            egui::Event::Text("A001*2".into()),
            key(egui::Key::Enter),
            egui::Event::Text("B0X".into()),
            key(egui::Key::Backspace),
            egui::Event::Text("2".into()),
            key(egui::Key::Enter),
            egui::Event::Text("half".into()),
        ];
        assert_eq!(frame(&mut field, events), vec!["6901234", "A001*2", "B02"]);
        assert_eq!(field.typing, "half");
        // The rest of the code arrives in the next frame.
        let events = vec![egui::Event::Text("-typed".into()), key(egui::Key::Enter)];
        assert_eq!(frame(&mut field, events), vec!["half-typed"]);
    }

    #[test]
    fn a_pasted_list_is_one_scan_per_line_and_blank_lines_are_no_scan() {
        let mut field = ScanField::new("test");
        let events = vec![egui::Event::Paste("SF1\r\nSF2\n\n  \nSF3\n".into())];
        assert_eq!(frame(&mut field, events), vec!["SF1", "SF2", "SF3"]);
        assert!(field.typing.is_empty());
    }
}
