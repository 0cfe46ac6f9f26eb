//! Who is at the keyboard: the operator switch (pick a name, type the PIN), the idle lock,
//! the owner's first sign-up, and the Operators tab (operators, what each role may do,
//! the audit trail). The PIN is verified on the store's thread, never in a frame.

mod texts;

use std::time::{Duration, Instant};

pub use texts::{Tx, action_text, role_text};

use super::{Command, Page, TabCx, ask};
use crate::app::auth::Session;
use crate::app::operators::{Reply, Request};
use crate::domain::operators::{Action, Permissions, Role};
use crate::store::{AuditEntry, AuditQuery, Language, OperatorRow};

/// The window's operators and who is signed in.
#[derive(Debug)]
pub struct Access {
    /// The store has answered with its operators.
    pub known: bool,
    pub operators: Vec<OperatorRow>,
    pub permissions: Permissions,
    /// The operator signed in; `None` while the window waits for a sign-in (or is locked).
    pub session: Option<Session>,
    /// The name picked on the sign-in screen, and the PIN typed.
    pub pick: String,
    pub pin: String,
    /// The owner's name and PIN on the first sign-up.
    pub first_name: String,
    pub first_pin: String,
    /// The last key press, click or move of the mouse, for the idle lock.
    pub last_activity: Instant,
    /// The window locked itself after the idle time.
    pub locked_idle: bool,
    /// Put the keyboard in the PIN field on the next frame (a name was picked).
    pub focus_pin: bool,
}

impl Default for Access {
    fn default() -> Access {
        Access {
            known: false,
            operators: Vec::new(),
            permissions: Permissions::default(),
            session: None,
            pick: String::new(),
            pin: String::new(),
            first_name: String::new(),
            first_pin: String::new(),
            last_activity: Instant::now(),
            locked_idle: false,
            focus_pin: false,
        }
    }
}

impl Access {
    /// The database has operators: everyone signs in.
    pub fn has_operators(&self) -> bool {
        !self.operators.is_empty()
    }

    /// The window waits for a sign-in before it shows the tabs.
    pub fn needs_sign_in(&self) -> bool {
        self.has_operators() && self.session.is_none()
    }

    /// True when whoever is at the keyboard may do `action` (everything without
    /// operators).
    pub fn may(&self, action: Action) -> bool {
        if !self.has_operators() {
            return true;
        }
        self.session
            .as_ref()
            .is_some_and(|s| s.permissions.allows(s.role, action))
    }

    /// Signs the operator out (the switch, the idle lock): the next one signs in.
    pub fn sign_out(&mut self) {
        self.session = None;
        self.pin.clear();
        self.focus_pin = true;
    }

    /// Takes the store's list of operators and table; a signed-in operator since
    /// disabled is signed out, and a changed role or table applies at once.
    pub fn take_list(&mut self, operators: Vec<OperatorRow>, permissions: Permissions) {
        self.known = true;
        self.operators = operators;
        self.permissions = permissions.clone();
        if let Some(session) = &mut self.session {
            match self
                .operators
                .iter()
                .find(|o| o.name.eq_ignore_ascii_case(&session.name))
            {
                Some(row) if row.active => {
                    session.role = row.role;
                    session.permissions = permissions;
                }
                // Without operators everyone is the owner; with them, only who is listed.
                None if self.operators.is_empty() => {}
                _ => self.sign_out(),
            }
        }
    }

    /// Locks the window when nobody touched it for `lock_after` (0: never). A packer's
    /// station stays signed in all day. Returns true when it locked now.
    pub fn lock_if_idle(&mut self, now: Instant, lock_after_minutes: u32) -> bool {
        let Some(session) = &self.session else {
            return false;
        };
        if !session.signed_in || session.role == Role::Packer || lock_after_minutes == 0 {
            return false;
        }
        let limit = Duration::from_secs(u64::from(lock_after_minutes) * 60);
        if now.saturating_duration_since(self.last_activity) >= limit {
            self.pick = session.name.clone();
            self.sign_out();
            self.locked_idle = true;
            return true;
        }
        false
    }
}

/// The sign-in screen: the operators' names to pick, the PIN, and the button.
pub fn sign_in_ui(
    ui: &mut egui::Ui,
    lang: Language,
    access: &mut Access,
    commands: &mut Vec<Command>,
) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.heading(Tx::WhoIsWorking.tr(lang));
        ui.add_space(8.0);
        if access.locked_idle {
            ui.label(Tx::Locked.tr(lang));
        }
        ui.label(egui::RichText::new(Tx::PickName.tr(lang)).weak());
        ui.add_space(12.0);
    });
    // The names and the PIN in a column in the middle of the window.
    let width = 480.0_f32.min(ui.available_width());
    let pad = ((ui.available_width() - width) / 2.0).max(0.0);
    let mut submit = false;
    ui.horizontal(|ui| {
        ui.add_space(pad);
        ui.vertical(|ui| {
            ui.set_max_width(width);
            ui.horizontal_wrapped(|ui| {
                for row in access.operators.iter().filter(|o| o.active) {
                    let text = format!("{} · {}", row.name, role_text(row.role, lang));
                    let picked = access.pick.eq_ignore_ascii_case(&row.name);
                    if ui
                        .add(egui::Button::selectable(
                            picked,
                            egui::RichText::new(text).size(16.0),
                        ))
                        .on_hover_text(&row.name)
                        .clicked()
                    {
                        access.pick = row.name.clone();
                        access.pin.clear();
                        access.focus_pin = true;
                    }
                }
            });
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                let label = ui.label(Tx::Pin.tr(lang));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut access.pin)
                            .password(true)
                            .desired_width(160.0),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut access.focus_pin) {
                    field.request_focus();
                }
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    submit = true;
                }
                let ready = !access.pick.is_empty() && !access.pin.is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new(Tx::SignIn.tr(lang)))
                    .clicked()
                {
                    submit = true;
                }
            });
        });
    });
    if submit && !access.pick.is_empty() && !access.pin.is_empty() {
        commands.push(ask(Request::SignIn {
            name: access.pick.clone(),
            pin: std::mem::take(&mut access.pin),
        }));
    }
}

/// The owner's first sign-up: a name and a PIN; the owner is signed in at once.
pub fn first_owner_ui(
    ui: &mut egui::Ui,
    lang: Language,
    access: &mut Access,
    commands: &mut Vec<Command>,
) {
    ui.label(egui::RichText::new(Tx::FirstOwner.tr(lang)).strong());
    ui.label(egui::RichText::new(Tx::FirstOwnerHint.tr(lang)).weak());
    egui::Grid::new("first-owner")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label(Tx::Name.tr(lang));
            ui.text_edit_singleline(&mut access.first_name)
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(Tx::Pin.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut access.first_pin).password(true))
                .labelled_by(label.id);
            ui.end_row();
        });
    let ready = !access.first_name.trim().is_empty() && !access.first_pin.is_empty();
    if ui
        .add_enabled(ready, egui::Button::new(Tx::Create.tr(lang)))
        .clicked()
    {
        let name = access.first_name.trim().to_owned();
        let pin = std::mem::take(&mut access.first_pin);
        commands.push(ask(Request::Add {
            name: name.clone(),
            role: Role::Owner,
            pin: pin.clone(),
        }));
        commands.push(ask(Request::SignIn { name, pin }));
        access.first_name.clear();
    }
}

/// The Operators tab: operators, the role × action table, the audit trail. It keeps a
/// copy of the operators and the table, given by the window with each answer.
#[derive(Debug, Default)]
pub struct OperatorsTab {
    pub operators: Vec<OperatorRow>,
    pub permissions: Permissions,
    /// What the signed-in operator may do here (set by the window each frame).
    pub may_manage: bool,
    pub may_audit: bool,
    /// Who is signed in (set by the window each frame), for their own PIN.
    pub me: Option<String>,
    /// The operator whose new PIN is being typed, and the PIN.
    pub pin_for: Option<String>,
    pub pin_new: String,
    /// Without operators the tab offers the owner's sign-up.
    pub first: Access,
    pub new_name: String,
    pub new_role: Option<Role>,
    pub new_pin: String,
    pub audit_order: String,
    pub audit_operator: String,
    pub audit_since: String,
    /// The entries found, once asked.
    pub audit: Option<Vec<AuditEntry>>,
}

impl OperatorsTab {
    pub fn apply(&mut self, reply: &Reply) {
        match reply {
            Reply::List {
                operators,
                permissions,
            }
            | Reply::Changed {
                operators,
                permissions,
            } => {
                self.operators = operators.clone();
                self.permissions = permissions.clone();
            }
            Reply::Audit(entries) => self.audit = Some(entries.clone()),
            Reply::SignedIn(_) => {}
        }
    }

    fn operators_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        ui.heading(Tx::Operators.tr(lang));
        egui::Grid::new("operators-list")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                ui.label(egui::RichText::new(Tx::Name.tr(lang)).strong());
                ui.label(egui::RichText::new(Tx::Role.tr(lang)).strong());
                ui.label(egui::RichText::new(Tx::Active.tr(lang)).strong());
                ui.label("");
                ui.end_row();
                for row in &self.operators {
                    let name = ui.label(&row.name);
                    let mut role = row.role;
                    egui::ComboBox::from_id_salt(("operator-role", row.id))
                        .selected_text(role_text(role, lang))
                        .show_ui(ui, |ui| {
                            for r in Role::ALL {
                                ui.selectable_value(&mut role, r, role_text(r, lang));
                            }
                        })
                        .response
                        .labelled_by(name.id);
                    if role != row.role {
                        commands.push(ask(Request::SetRole {
                            name: row.name.clone(),
                            role,
                        }));
                    }
                    if row.active {
                        ui.label("✔");
                    } else {
                        ui.label(Tx::Disabled.tr(lang));
                    }
                    ui.horizontal(|ui| {
                        if row.active {
                            if ui.button(Tx::Disable.tr(lang)).clicked() {
                                commands.push(ask(Request::Disable(row.name.clone())));
                            }
                        } else if ui.button(Tx::Enable.tr(lang)).clicked() {
                            commands.push(ask(Request::Enable(row.name.clone())));
                        }
                        if ui.button(Tx::SetPin.tr(lang)).clicked() {
                            self.pin_for = Some(row.name.clone());
                            self.pin_new.clear();
                        }
                    });
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
        ui.label(egui::RichText::new(Tx::AddOperator.tr(lang)).strong());
        ui.horizontal(|ui| {
            let label = ui.label(Tx::Name.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.new_name).desired_width(120.0))
                .labelled_by(label.id);
            let role = self.new_role.unwrap_or(Role::Service);
            let label = ui.label(Tx::Role.tr(lang));
            egui::ComboBox::from_id_salt("new-operator-role")
                .selected_text(role_text(role, lang))
                .show_ui(ui, |ui| {
                    for r in Role::ALL {
                        if ui.selectable_label(role == r, role_text(r, lang)).clicked() {
                            self.new_role = Some(r);
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(Tx::Pin.tr(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.new_pin)
                    .password(true)
                    .desired_width(100.0),
            )
            .labelled_by(label.id);
            let ready = !self.new_name.trim().is_empty() && !self.new_pin.is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(Tx::AddOperator.tr(lang)))
                .clicked()
            {
                commands.push(ask(Request::Add {
                    name: std::mem::take(&mut self.new_name),
                    role,
                    pin: std::mem::take(&mut self.new_pin),
                }));
            }
        });
    }

    /// The new PIN of `pin_for` (an operator's, or one's own), with Save and Cancel.
    fn pin_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(name) = self.pin_for.clone() else {
            return;
        };
        ui.horizontal(|ui| {
            let label = ui.label(format!("{} · {name}", Tx::NewPin.tr(lang)));
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.pin_new)
                        .password(true)
                        .desired_width(120.0),
                )
                .labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let ready = !self.pin_new.is_empty();
            if (ui
                .add_enabled(ready, egui::Button::new(Tx::SavePin.tr(lang)))
                .clicked()
                || enter)
                && ready
            {
                commands.push(ask(Request::SetPin {
                    name,
                    pin: std::mem::take(&mut self.pin_new),
                }));
                self.pin_for = None;
            }
            if ui.button(Tx::Cancel.tr(lang)).clicked() {
                self.pin_for = None;
                self.pin_new.clear();
            }
        });
    }

    /// One's own PIN, for who may not manage operators.
    fn my_pin_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(me) = self.me.clone() else {
            return;
        };
        ui.heading(Tx::MyPin.tr(lang));
        ui.label(egui::RichText::new(Tx::MyPinHint.tr(lang)).weak());
        if self.pin_for.is_none() && ui.button(Tx::SetPin.tr(lang)).clicked() {
            self.pin_for = Some(me);
            self.pin_new.clear();
        }
        self.pin_ui(ui, lang, commands);
    }

    fn permissions_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        ui.heading(Tx::Permissions.tr(lang));
        let roles = [Role::Service, Role::Packer, Role::Stock];
        egui::Grid::new("role-permissions")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                ui.label("");
                for role in roles {
                    ui.label(egui::RichText::new(role_text(role, lang)).strong());
                }
                ui.end_row();
                for action in Action::ALL.into_iter().filter(|a| !a.owner_only()) {
                    let label = ui.label(action_text(action, lang));
                    for role in roles {
                        let mut allowed = self.permissions.allows(role, action);
                        let before = allowed;
                        ui.checkbox(&mut allowed, "")
                            .labelled_by(label.id)
                            .on_hover_text(format!(
                                "{} · {}",
                                role_text(role, lang),
                                action_text(action, lang)
                            ));
                        if allowed != before {
                            commands.push(ask(Request::SetPermission {
                                role,
                                action,
                                allowed,
                            }));
                        }
                    }
                    ui.end_row();
                }
            });
    }

    fn audit_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        ui.heading(Tx::Audit.tr(lang));
        let mut search = false;
        ui.horizontal(|ui| {
            for (text, value) in [
                (Tx::AuditOrder, &mut self.audit_order),
                (Tx::AuditOperator, &mut self.audit_operator),
                (Tx::AuditSince, &mut self.audit_since),
            ] {
                let label = ui.label(text.tr(lang));
                let field = ui
                    .add(egui::TextEdit::singleline(value).desired_width(140.0))
                    .labelled_by(label.id);
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    search = true;
                }
            }
            if ui.button(Tx::Search.tr(lang)).clicked() {
                search = true;
            }
        });
        if search {
            let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
            commands.push(ask(Request::Audit(AuditQuery {
                since: some(&self.audit_since),
                operator: some(&self.audit_operator),
                order_no: some(&self.audit_order),
                ..AuditQuery::default()
            })));
        }
        let Some(entries) = &self.audit else {
            return;
        };
        if entries.is_empty() {
            ui.label(Tx::NoEntries.tr(lang));
            return;
        }
        egui::Grid::new("audit-grid")
            .num_columns(6)
            .striped(true)
            .show(ui, |ui| {
                for head in [
                    Tx::At,
                    Tx::AuditOperator,
                    Tx::What,
                    Tx::Target,
                    Tx::Before,
                    Tx::After,
                ] {
                    ui.label(egui::RichText::new(head.tr(lang)).strong());
                }
                ui.end_row();
                for e in entries {
                    ui.label(&e.at);
                    ui.label(&e.operator);
                    ui.label(&e.action);
                    ui.label(&e.target);
                    ui.label(&e.before);
                    ui.label(&e.after);
                    ui.end_row();
                }
            });
    }
}

impl Page for OperatorsTab {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut TabCx<'_>) {
        let lang = cx.lang;
        egui::ScrollArea::vertical()
            .id_salt("operators-tab")
            .show(ui, |ui| {
                if self.operators.is_empty() {
                    first_owner_ui(ui, lang, &mut self.first, cx.commands);
                    ui.add_space(16.0);
                } else if self.may_manage {
                    self.operators_ui(ui, lang, cx.commands);
                    self.pin_ui(ui, lang, cx.commands);
                    ui.add_space(16.0);
                    self.permissions_ui(ui, lang, cx.commands);
                    ui.add_space(16.0);
                } else {
                    self.my_pin_ui(ui, lang, cx.commands);
                    ui.add_space(16.0);
                }
                if self.may_audit {
                    self.audit_ui(ui, lang, cx.commands);
                }
            });
    }
}
