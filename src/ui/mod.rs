//! The window: one folder per tab, each with its state, its drawing, its replies and its
//! texts (ARCHITECTURE.md lists the lines a new tab adds here). Tabs read view models and
//! return [`Command`]s; the [`ShopDeskApp`] runs them after drawing. No SQL runs inside a
//! frame: the store lives on the backend thread (`backend.rs`).

pub mod after_sales;
pub mod backend;
pub mod i18n;
pub mod inventory;
pub mod manual;
pub mod messages;
pub mod operators;
pub mod orders;
pub mod pack;
pub mod recovery;
mod settings;
pub mod shipping;
pub mod theme;
pub mod widgets;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use backend::JobStart;
use backend::{Arrived, Backend, Reply, Request};
use i18n::T;

use crate::app::jobs::{Job, JobKind};
use crate::app::settings::Overview;
use crate::app::{self, AppError, Changed};
use crate::store::{Language, Settings};

/// The CJK font compiled into the binary (WenQuanYi Micro Hei, Apache-2.0).
pub const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/WenQuanYiMicroHei.ttf");

/// What a tab draws with: the language, the shop's counts, whether a job runs, the open
/// file, the data the shipping tabs share, and where its commands go.
pub struct TabCx<'a> {
    pub lang: Language,
    pub overview: &'a Overview,
    pub busy: bool,
    pub db_path: &'a std::path::Path,
    pub shipping: &'a mut shipping::ShippingData,
    pub commands: &'a mut Vec<Command>,
}

/// A tab of the top bar. Its state, drawing and texts live in its folder; the app draws
/// the chosen one and tells every tab which views an answer changed.
pub trait Page {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut TabCx<'_>);
    /// Forget what `changed` made stale; the next frame asks again.
    fn changed(&mut self, _changed: Changed) {}
    /// A request failed (the window shows why): stop waiting for its answer.
    fn failed(&mut self) {}
}

/// The tabs: one line each, in the order of the top bar (variant => field: state type =
/// title).
/// This declares the [`Tab`] enum, the [`Tabs`] that hold every tab's state, and how the
/// app reaches a tab by its variant.
macro_rules! tabs {
    ($($variant:ident => $field:ident: $ty:ty = $title:expr),* $(,)?) => {
        /// The tabs, in the order of the top bar.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum Tab {
            $($variant),*
        }

        impl Tab {
            pub const ALL: &[Tab] = &[$(Tab::$variant),*];

            /// The title in the top bar.
            pub fn title(self) -> T {
                match self {
                    $(Tab::$variant => $title,)*
                }
            }
        }

        /// Every tab's state.
        #[derive(Default)]
        pub struct Tabs {
            $(pub $field: $ty,)*
        }

        impl Tabs {
            /// The tab shown for `tab`.
            pub fn page(&mut self, tab: Tab) -> &mut dyn Page {
                match tab {
                    $(Tab::$variant => &mut self.$field,)*
                }
            }

            /// Tells every tab what an answer changed.
            fn changed(&mut self, changed: Changed) {
                $(Page::changed(&mut self.$field, changed);)*
            }

            /// Tells every tab that a request failed.
            fn failed(&mut self) {
                $(Page::failed(&mut self.$field);)*
            }
        }
    };
}

tabs! {
    Orders => orders: orders::OrdersTab = T::TabOrders,
    ManualOrder => manual: manual::ManualTab = T::TabManualOrder,
    Inventory => inventory: inventory::InventoryTab = T::TabInventory,
    PickLists => picklists: shipping::PickListsTab = T::TabPickLists,
    Waybills => waybills: shipping::WaybillsTab = T::TabWaybills,
    Pack => pack: pack::PackTab = T::TabPack,
    AfterSales => after_sales: after_sales::AfterSalesTab = T::TabAfterSales,
    Settings => settings_tab: settings::SettingsTab = T::TabSettings,
    Operators => operators_tab: operators::OperatorsTab = T::TabOperators,
}

impl Default for Tab {
    fn default() -> Tab {
        Tab::ALL[0]
    }
}

/// UI preferences kept by eframe between runs. Business data never goes here.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub tab: Tab,
    /// The language code of the last file opened: the window speaks it about a file that
    /// cannot be opened and whose own settings cannot be read.
    pub language: Option<String>,
}

/// What a tab asks the app to do, run after the frame is drawn. Features speak to the
/// store through [`Command::Store`] and [`Command::Job`]; the rest moves between tabs.
#[must_use]
#[derive(Debug)]
pub enum Command {
    Store(Request),
    /// Run a long action on a job thread (one at a time).
    Job(JobStart),
    CancelJob,
    /// Reopen the window's data on another database file.
    OpenDatabase(PathBuf),
    Notice(String),
    OpenImport,
    OpenPdf(PathBuf),
    /// Show the folder of a document in the file manager.
    OpenFolder(PathBuf),
    PrintPdf(PathBuf),
    /// The Orders tab's selection becomes the next pick-list batch.
    PickListFromSelection(Vec<i64>),
    WaybillsForBatch(i64),
    /// Open the Manual order tab to reship (补发) this order.
    Reship(i64),
    /// Open the Manual order tab to edit this manual order, not yet printed.
    EditManual(i64),
    /// Open the After-sales tab's new-case dialog on this order (by number).
    OpenCase(String),
    /// Show an after-sales case.
    ShowCase(i64),
    /// Find an order in the Orders tab (by number).
    ShowOrder(String),
    /// Sign the operator out; the next one signs in.
    SwitchOperator,
}

/// A request to the store thread, as a command.
pub fn ask(request: impl Into<Request>) -> Command {
    Command::Store(request.into())
}

/// A message shown at the top of the window until dismissed (errors) or for a while.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    pub shown_at: Instant,
}

/// The notices on screen; each is shown once, however often it repeats.
#[derive(Clone, Debug, Default)]
pub struct Notices(pub Vec<Notice>);

impl Notices {
    pub fn push(&mut self, text: impl Into<String>, is_error: bool) {
        let text = text.into();
        if self.0.iter().any(|n| n.text == text) {
            return;
        }
        self.0.push(Notice {
            text,
            is_error,
            shown_at: Instant::now(),
        });
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.push(text, false);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.push(text, true);
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Notice> {
        self.0.iter()
    }
}

/// How many orders the first-run button writes.
pub const SAMPLE_ORDERS: u64 = 2000;

/// The whole application state.
pub struct ShopDeskApp {
    pub prefs: Prefs,
    pub backend: Backend,
    pub overview: Option<Overview>,
    pub settings: Settings,
    pub notices: Notices,
    /// A text field had the keyboard last frame: an Escape now only leaves that field.
    typing: bool,
    pub job: Option<Job>,
    /// The database could not be opened: the window shows why and the backups that can
    /// replace it instead of the tabs.
    pub recovery: Option<recovery::Recovery>,
    pub tabs: Tabs,
    /// What the shipping tabs (pick lists, waybills) share.
    pub shipping: shipping::ShippingData,
    /// The backup folder and when its newest backup was taken, once the store said.
    pub last_backup: Option<app::backup::BackupStatus>,
    /// The file was found damaged: the newest backup of its folder, offered for restore
    /// until the owner answers.
    pub damaged_offer: Option<PathBuf>,
    /// The daily backup is to run once the file is open ([`ShopDeskApp::take_daily_backup`]).
    daily_backup_wanted: bool,
    /// The operators and who is signed in.
    pub access: operators::Access,
}

/// Installs the bundled CJK font as a fallback of every family, so Chinese never shows as
/// boxes, whatever fonts the machine has.
pub fn install_fonts(ctx: &egui::Context) {
    use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
    ctx.add_font(FontInsert::new(
        "wqy-microhei",
        egui::FontData::from_static(CJK_FONT),
        vec![
            InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: egui::FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}

/// A failure in the window's language where it is a typed case, else in the words of the
/// layer that failed.
pub fn error_text(error: &AppError, lang: Language) -> String {
    match error {
        AppError::Cancelled => T::JobCancelled.tr(lang).to_owned(),
        AppError::Input(app::InputError::TaobaoNeedsTwoFiles) => {
            T::ImportNeedsTaobaoPair.tr(lang).to_owned()
        }
        AppError::Input(app::InputError::NeedsOneFile) => T::ImportNeedsOneFile.tr(lang).to_owned(),
        AppError::Input(app::InputError::CsvNeedsFileAndMapping) => {
            T::ImportNeedsMapping.tr(lang).to_owned()
        }
        other => messages::app_error_text(other, lang).unwrap_or_else(|| other.to_string()),
    }
}

impl ShopDeskApp {
    /// Builds the app on a database file; the store opens on the backend thread.
    pub fn new(ctx: &egui::Context, path: PathBuf, prefs: Prefs) -> std::io::Result<ShopDeskApp> {
        install_fonts(ctx);
        // Scroll bars stay drawn wherever content overflows (egui's default shows them only
        // under the pointer), so a user sees that a table or panel holds more.
        ctx.all_styles_mut(|style| style.spacing.scroll = egui::style::ScrollStyle::solid());
        let repaint_ctx = ctx.clone();
        let backend = Backend::start(path, Arc::new(move || repaint_ctx.request_repaint()))?;
        let mut app = ShopDeskApp {
            prefs,
            backend,
            overview: None,
            settings: Settings::default(),
            notices: Notices::default(),
            typing: false,
            job: None,
            recovery: None,
            tabs: Tabs::default(),
            shipping: shipping::ShippingData::default(),
            last_backup: None,
            damaged_offer: None,
            daily_backup_wanted: false,
            access: operators::Access::default(),
        };
        app.backend.send(app::operators::Request::List);
        app.invalidate(Changed::ALL);
        Ok(app)
    }

    /// Takes the daily backup (if the backup folder has none from today) as a job once
    /// the file is open. The window asks for it when it starts; commands and tests do not.
    pub fn take_daily_backup(&mut self) {
        self.daily_backup_wanted = true;
    }

    /// The language the window speaks.
    pub fn language(&self) -> Language {
        self.settings.language
    }

    /// Forgets what the changed views show, so they ask again; nothing else reloads.
    fn invalidate(&mut self, changed: Changed) {
        if changed.touches(Changed::ORDERS | Changed::STOCK | Changed::SETTINGS) {
            self.backend.send(app::settings::Request::Overview);
        }
        if changed.touches(Changed::SETTINGS) {
            // The backup folder is a setting.
            self.backend.send(app::backup::Request::Status);
        }
        self.tabs.changed(changed);
        if changed.touches(Changed::SHIPPING | Changed::ORDERS) {
            self.reload_shipping();
        }
    }

    /// Blocks until every request is answered and applied (tests and benchmarks).
    pub fn settle(&mut self) {
        loop {
            let arrived = self.backend.wait();
            if arrived.is_empty() {
                return;
            }
            for a in arrived {
                self.apply(a);
            }
        }
    }

    fn notice(&mut self, text: impl Into<String>, is_error: bool) {
        self.notices.push(text, is_error);
    }

    /// Hands an answer to the feature that asked, then reloads only the views it changed.
    fn apply(&mut self, arrived: Arrived) {
        if arrived.job.is_some() {
            self.job = None;
        }
        let changed = arrived.reply.changed();
        let lang = self.language();
        match arrived.reply {
            Reply::Settings(reply) => self.apply_settings(reply),
            Reply::Orders(reply) => self.tabs.orders.apply(reply, lang, &mut self.notices),
            Reply::Import(reply) => self
                .tabs
                .orders
                .import
                .apply(reply, lang, &mut self.notices),
            Reply::Inventory(reply) => self.tabs.inventory.apply(reply, lang, &mut self.notices),
            Reply::Shipping(reply) => self.apply_shipping(reply),
            Reply::Manual(reply) => self.tabs.manual.apply(reply, lang, &mut self.notices),
            Reply::Backup(reply) => self.apply_backup(reply),
            Reply::Operators(reply) => self.apply_operators(reply),
            Reply::Pack(reply) => {
                self.tabs.pack.apply(reply, lang, &mut self.notices);
                for command in self.tabs.pack.take_pending() {
                    self.run(command);
                }
            }
            Reply::AfterSales(reply) => {
                self.tabs.after_sales.apply(reply, lang, &mut self.notices);
                for command in self.tabs.after_sales.take_pending() {
                    self.run(command);
                }
            }
            Reply::Failed(error) => {
                self.tabs.failed();
                if let AppError::Store(store_error) = &error {
                    self.damaged_offer = store_error.offered_backup().map(Path::to_path_buf);
                }
                self.notice(error_text(&error, lang), true);
            }
            Reply::Unavailable => {}
            Reply::OpenFailed(failure) => {
                // The window speaks the file's language when its settings can still be
                // read.
                if let Some(language) = failure
                    .language
                    .or_else(|| self.prefs.language.as_deref().map(Language::from_code))
                {
                    self.settings.language = language;
                }
                self.recovery = Some(recovery::Recovery::new(*failure));
            }
        }
        self.invalidate(changed);
    }

    fn apply_settings(&mut self, reply: app::settings::Reply) {
        match reply {
            app::settings::Reply::Overview(overview, settings) => {
                self.overview = Some(overview);
                // Figures kept per operator (the packer's counters) follow a new name.
                if settings.operator != self.settings.operator {
                    self.tabs.changed(Changed::SETTINGS);
                }
                if self.tabs.settings_tab.draft.is_none() || !self.tabs.settings_tab.dirty {
                    self.tabs.settings_tab.draft = Some((*settings).clone());
                }
                if !self.access.has_operators() {
                    self.backend.set_operator(&settings.operator);
                }
                self.settings = *settings;
                self.prefs.language = Some(self.settings.language.code().to_owned());
                self.shipping.documents_dir = self.settings.documents_dir.clone();
            }
            app::settings::Reply::Saved(settings) => {
                if !self.access.has_operators() {
                    self.backend.set_operator(&settings.operator);
                }
                self.settings = *settings;
                self.prefs.language = Some(self.settings.language.code().to_owned());
                self.shipping.documents_dir = self.settings.documents_dir.clone();
                self.tabs.settings_tab.draft = Some(self.settings.clone());
                self.tabs.settings_tab.dirty = false;
                self.notice(T::Saved.tr(self.language()), false);
            }
            app::settings::Reply::SampleShopLoaded(s) => {
                let msg = format!(
                    "{} ({} {}, {} {})",
                    T::SampleLoaded.tr(self.language()),
                    s.products,
                    T::StatusProducts.tr(self.language()),
                    s.orders,
                    T::StatusOrders.tr(self.language())
                );
                self.notice(msg, false);
            }
        }
    }

    fn apply_operators(&mut self, reply: app::operators::Reply) {
        use app::operators::Reply as R;
        self.tabs.operators_tab.apply(&reply);
        match reply {
            R::List {
                operators,
                permissions,
            }
            | R::Changed {
                operators,
                permissions,
            } => {
                let had = self.access.has_operators();
                self.access.take_list(operators, permissions);
                if self.access.needs_sign_in() {
                    // Nothing is written under a name no one signed in with.
                    self.backend.set_operator("");
                } else if had && !self.access.has_operators() {
                    self.backend.set_operator(&self.settings.operator);
                }
            }
            R::SignedIn(session) => {
                // What the sign-in screen said (a wrong PIN) is over.
                self.notices.0.retain(|n| !n.is_error);
                self.backend.set_operator(&session.name);
                self.access.pick = session.name.clone();
                self.access.session = Some(*session);
                self.access.locked_idle = false;
                self.access.last_activity = Instant::now();
                // Figures kept per operator (the packer's counters) follow the new name.
                self.tabs.changed(Changed::ALL);
            }
            R::Audit(_) => {}
        }
    }

    /// Signs the operator out: the window shows the operator switch.
    pub fn switch_operator(&mut self) {
        if let Some(session) = &self.access.session {
            self.access.pick = session.name.clone();
        }
        self.access.sign_out();
        self.access.locked_idle = false;
        self.backend.set_operator("");
    }

    /// Locks the window when it was idle longer than Settings allow; true when it locked.
    pub fn lock_if_idle(&mut self, now: Instant) -> bool {
        let locked = self
            .access
            .lock_if_idle(now, self.settings.lock_after_minutes);
        if locked {
            self.backend.set_operator("");
        }
        locked
    }

    /// True when whoever is at the keyboard may open `tab`.
    pub fn may_open(&self, tab: Tab) -> bool {
        use crate::domain::operators::Action;
        let a = &self.access;
        match tab {
            // The orders, with the buyers' names, phones and addresses, are read by who
            // works on them: customer service, printing, packing. A stock keeper sees the
            // demand on stock in the Inventory tab.
            Tab::Orders => crate::app::auth::READ_ORDERS.iter().any(|&x| a.may(x)),
            Tab::Inventory => true,
            Tab::ManualOrder => a.may(Action::OrdersManual),
            Tab::PickLists | Tab::Waybills => a.may(Action::Printing),
            Tab::Pack => a.may(Action::Pack),
            Tab::AfterSales => a.may(Action::AfterSales) || a.may(Action::Refunds),
            Tab::Settings => a.may(Action::Settings),
            // Everyone signed in may change their own PIN there.
            Tab::Operators => true,
        }
    }

    /// Opens a PDF or a folder with the system's launcher; a failure is said in the
    /// window's language with where the file is, so the owner can still find it.
    fn open_path(&mut self, what: widgets::Opening, path: &std::path::Path) {
        if open::that_detached(path).is_err() {
            let text = widgets::cannot_open_text(self.language(), what, path);
            self.notice(text, true);
        }
    }

    fn start_job(&mut self, start: JobStart) {
        if self.job.is_some() {
            return;
        }
        match self.backend.run_job(start) {
            Ok(job) => self.job = Some(job),
            Err(e) => {
                let text = format!("{}: {e}", T::CannotStartJob.tr(self.language()));
                self.notice(text, true);
            }
        }
    }

    fn run(&mut self, command: Command) {
        match command {
            Command::Store(request) => self.backend.send(request),
            Command::Job(start) => self.start_job(start),
            Command::CancelJob => {
                if let Some(job) = &self.job {
                    job.request_cancel();
                }
            }
            Command::OpenDatabase(path) => {
                let repaint = self.backend.repaint_handle();
                match Backend::start(path, repaint) {
                    Ok(backend) => {
                        self.backend = backend;
                        self.overview = None;
                        self.recovery = None;
                        self.notices.0.clear();
                        self.tabs.settings_tab = settings::SettingsTab::default();
                        self.invalidate(Changed::ALL);
                    }
                    Err(e) => {
                        let text = format!("{}: {e}", T::CannotOpenDatabase.tr(self.language()));
                        self.notice(text, true);
                    }
                }
            }
            Command::Notice(text) => self.notice(text, false),
            Command::OpenImport => {
                self.prefs.tab = Tab::Orders;
                self.tabs.orders.import.open = true;
            }
            Command::OpenPdf(path) => self.open_path(widgets::Opening::Pdf, &path),
            Command::OpenFolder(path) => self.open_path(widgets::Opening::Folder, &path),
            Command::PrintPdf(path) => {
                // `lp` only queues the file: it returns at once.
                match crate::app::print::send_to_printer(&path) {
                    Ok(answer) => self.notice(answer, false),
                    Err(e) => self.notice(e, true),
                }
            }
            Command::PickListFromSelection(ids) => {
                self.tabs.picklists.take_selection(ids);
                self.prefs.tab = Tab::PickLists;
            }
            Command::WaybillsForBatch(batch) => {
                self.tabs.waybills.batch = Some(batch);
                self.prefs.tab = Tab::Waybills;
            }
            Command::Reship(id) => {
                self.prefs.tab = Tab::ManualOrder;
                let ask = self.tabs.manual.start_reship(id);
                self.run(ask);
            }
            Command::EditManual(id) => {
                self.prefs.tab = Tab::ManualOrder;
                let ask = self.tabs.manual.start_edit(id);
                self.run(ask);
            }
            Command::OpenCase(order_no) => {
                self.prefs.tab = Tab::AfterSales;
                let ask = self.tabs.after_sales.start_case(&order_no);
                self.run(ask);
            }
            Command::ShowCase(id) => {
                self.prefs.tab = Tab::AfterSales;
                self.tabs.after_sales.show_case(id);
            }
            Command::ShowOrder(order_no) => {
                self.prefs.tab = Tab::Orders;
                self.tabs.orders.find_order(&order_no);
            }
            Command::SwitchOperator => self.switch_operator(),
        }
    }

    /// Draws one frame of the whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        for arrived in self.backend.poll() {
            self.apply(arrived);
        }
        self.start_daily_backup_when_open();
        let lang = self.language();
        let mut commands = Vec::new();
        self.track_activity(ui.ctx());
        {
            use crate::domain::operators::Action;
            let a = &self.access;
            let (manage, audit, adjust) = (
                !a.has_operators() || a.may(Action::Operators),
                a.may(Action::Audit),
                a.may(Action::StockAdjust),
            );
            self.tabs.operators_tab.may_manage = manage;
            self.tabs.operators_tab.may_audit = audit;
            self.tabs.operators_tab.me = a.session.as_ref().map(|s| s.name.clone());
            self.tabs.settings_tab.has_operators = a.has_operators();
            self.tabs.waybills.couriers_here = a.may(Action::Couriers) && !a.may(Action::Settings);
            self.tabs.inventory.may_adjust = adjust;
        }
        if !self.may_open(self.prefs.tab) {
            self.prefs.tab = Tab::ALL
                .iter()
                .copied()
                .find(|&tab| self.may_open(tab))
                .unwrap_or(Tab::Inventory);
        }
        let signing_in = self.access.needs_sign_in();

        egui::Panel::top("tabs").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(T::AppTitle.tr(lang));
                if !self.settings.shop_name.is_empty() {
                    ui.label(egui::RichText::new(&self.settings.shop_name).weak());
                }
                ui.separator();
                if signing_in || self.recovery.is_some() {
                    return;
                }
                for &tab in Tab::ALL {
                    if !self.may_open(tab) {
                        continue;
                    }
                    if ui
                        .selectable_label(self.prefs.tab == tab, tab.title().tr(lang))
                        .clicked()
                    {
                        self.prefs.tab = tab;
                    }
                }
            });
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui, &mut commands));
        // Before the tab sees the key, so that one Escape closes one thing: the newest
        // notice first, then what the tab has open.
        self.dismiss_notice_on_escape(ui.ctx());

        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(recovery) = &mut self.recovery {
                recovery.ui(ui, lang, self.job.is_some(), &mut commands);
                return;
            }
            if signing_in {
                operators::sign_in_ui(ui, lang, &mut self.access, &mut commands);
                return;
            }
            if let Some(overview) = &self.overview
                && overview.products == 0
                && overview.orders == 0
                && self.prefs.tab != Tab::Settings
                && !self.tabs.orders.import.open
            {
                first_run_ui(ui, lang, self.job.is_some(), &mut commands);
                if !self.access.has_operators() && self.access.known {
                    ui.add_space(24.0);
                    ui.vertical_centered(|ui| {
                        ui.set_max_width(420.0);
                        operators::first_owner_ui(ui, lang, &mut self.access, &mut commands);
                    });
                }
                return;
            }
            let overview = self.overview.clone().unwrap_or_default();
            let mut cx = TabCx {
                lang,
                overview: &overview,
                busy: self.job.is_some(),
                db_path: self.backend.path(),
                shipping: &mut self.shipping,
                commands: &mut commands,
            };
            self.tabs.page(self.prefs.tab).page_ui(ui, &mut cx);
        });
        self.notices_ui(ui.ctx());
        self.damaged_offer_ui(ui.ctx(), lang, &mut commands);

        for command in commands {
            self.run(command);
        }
        // Notices (not errors) fade after a while.
        let now = Instant::now();
        self.notices
            .0
            .retain(|n| n.is_error || now.duration_since(n.shown_at) < Duration::from_secs(6));
        if self.notices.0.iter().any(|n| !n.is_error) {
            ui.ctx().request_repaint_after(Duration::from_secs(1));
        }
    }

    /// Notes the last key press, click or mouse move, and locks the window after the idle
    /// time of Settings; asks for a frame when the lock is due, even if nothing moves.
    fn track_activity(&mut self, ctx: &egui::Context) {
        let now = Instant::now();
        let active = ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving());
        if active {
            self.access.last_activity = now;
        }
        self.lock_if_idle(now);
        let minutes = self.settings.lock_after_minutes;
        if self.access.session.as_ref().is_some_and(|s| s.signed_in) && minutes > 0 {
            let due = self.access.last_activity + Duration::from_secs(u64::from(minutes) * 60);
            ctx.request_repaint_after(due.saturating_duration_since(now) + Duration::from_secs(1));
        }
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let lang = self.language();
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(self.backend.path().display().to_string()).weak());
            ui.separator();
            match &self.overview {
                Some(o) => {
                    ui.label(format!(
                        "{} · {}",
                        i18n::count_text(o.products, i18n::PRODUCTS, lang),
                        i18n::count_text(o.orders, i18n::ORDERS, lang)
                    ));
                }
                None if self.recovery.is_some() => {
                    ui.colored_label(theme::ERROR_BG, T::NotOpened.tr(lang));
                }
                None => {
                    ui.label(T::Loading.tr(lang));
                }
            }
            ui.separator();
            match &self.access.session {
                Some(session) if self.access.has_operators() => {
                    ui.label(format!(
                        "{}: {} ({})",
                        T::StatusOperator.tr(lang),
                        session.name,
                        operators::role_text(session.role, lang)
                    ));
                }
                _ if self.access.has_operators() => {}
                _ => {
                    ui.label(format!(
                        "{}: {}",
                        T::StatusOperator.tr(lang),
                        self.settings.operator
                    ));
                }
            }
            if self.access.session.is_some()
                && self.access.has_operators()
                && ui.button(operators::Tx::Switch.tr(lang)).clicked()
            {
                commands.push(Command::SwitchOperator);
            }
            self.backup_age_ui(ui, lang);
            if let Some(job) = &self.job {
                ui.separator();
                let checking = job.kind == JobKind::Backup
                    && job.done.load(std::sync::atomic::Ordering::Relaxed)
                        > crate::app::backup::PROGRESS_TOTAL;
                let doing = match job.kind {
                    JobKind::Print => T::ShipPrinting,
                    JobKind::ImportPreview
                    | JobKind::Import
                    | JobKind::ProductPreview
                    | JobKind::ProductImport => T::Importing,
                    JobKind::SampleShop => T::LoadingSample,
                    JobKind::Backup if checking => T::CheckingBackup,
                    JobKind::Backup => T::BackingUp,
                };
                ui.label(doing.tr(lang));
                // A step that cannot measure its progress (a backup's check of its copy is
                // one SQLite statement) is only named: an animated bar would repaint the
                // window for as long as it runs.
                if job.total == 0 || checking {
                    if checking && ui.button(T::Cancel.tr(lang)).clicked() {
                        commands.push(Command::CancelJob);
                    }
                    return;
                }
                ui.add(
                    egui::ProgressBar::new(job.fraction())
                        .desired_width(160.0)
                        .show_percentage(),
                );
                if ui.button(T::Cancel.tr(lang)).clicked() {
                    commands.push(Command::CancelJob);
                }
            }
        });
    }

    /// The age of the last backup, orange when it is older than two days and red when
    /// there is none; a click opens Settings, where the Backups section is. The age is
    /// computed from the folder's listing the store sent, against the clock: no file is
    /// read in a frame.
    fn backup_age_ui(&mut self, ui: &mut egui::Ui, lang: Language) {
        use crate::domain::backup::{Age, Freshness, freshness};
        let Some(status) = &self.last_backup else {
            return;
        };
        let newest = status.newest;
        let dir = match &status.problem {
            Some(problem) => problem.clone(),
            None => status.dir.display().to_string(),
        };
        let now = chrono::Local::now().naive_local();
        let text = match Age::of(newest, now) {
            Age::Never => T::NoBackup.tr(lang).to_owned(),
            Age::JustNow => T::BackupJustNow.tr(lang).to_owned(),
            Age::Minutes(n) => format!("{} {n} {}", T::BackupAgo.tr(lang), T::AgoMinutes.tr(lang)),
            Age::Hours(n) => format!("{} {n} {}", T::BackupAgo.tr(lang), T::AgoHours.tr(lang)),
            Age::Days(n) => format!("{} {n} {}", T::BackupAgo.tr(lang), T::AgoDays.tr(lang)),
        };
        let (text, hint) = match freshness(newest, now) {
            Freshness::Recent => (egui::RichText::new(text), dir),
            Freshness::Stale => (
                egui::RichText::new(text).color(theme::WARNING).strong(),
                format!("{} ({dir})", T::BackupStale.tr(lang)),
            ),
            Freshness::Missing => (
                egui::RichText::new(text).color(theme::DANGER).strong(),
                format!("{} ({dir})", T::BackupMissing.tr(lang)),
            ),
        };
        ui.separator();
        let label = ui
            .add(egui::Label::new(text).sense(egui::Sense::click()))
            .on_hover_text(hint);
        if label.clicked() {
            self.prefs.tab = Tab::Settings;
        }
        // The age moves on with the clock.
        ui.ctx().request_repaint_after(Duration::from_secs(60));
    }

    /// Escape dismisses the newest notice, unless a dialog is open: the dialog is on top
    /// and takes the key itself.
    fn dismiss_notice_on_escape(&mut self, ctx: &egui::Context) {
        let was_typing = std::mem::replace(&mut self.typing, ctx.egui_wants_keyboard_input());
        if self.notices.0.is_empty() || was_typing || ctx.memory(|m| m.top_modal_layer().is_some())
        {
            return;
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            self.notices.0.pop();
        }
    }

    /// Notices float over the page at the top right: one appearing or fading out must not
    /// move the page, or a click lands on a control that moved and a field loses the focus.
    /// A damaged file offers its newest backup in a dialog: restoring it backs the damaged
    /// file up first and reopens the restored one (Settings → Backups lists the others).
    fn damaged_offer_ui(
        &mut self,
        ctx: &egui::Context,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        let db = self.backend.path().display().to_string();
        let question = |backup: &PathBuf| {
            T::DamagedRestoreQuestion
                .tr(lang)
                .replace("{db}", &db)
                .replace("{backup}", &backup.display().to_string())
        };
        if let Some(backup) = widgets::confirm_ui(
            ctx,
            lang,
            "restore-damaged",
            &mut self.damaged_offer,
            question,
            T::DamagedRestoreYes.tr(lang),
        ) {
            commands.push(ask(app::backup::Request::Restore(backup)));
        }
    }

    fn notices_ui(&mut self, ctx: &egui::Context) {
        if self.notices.0.is_empty() {
            return;
        }
        let lang = self.language();
        let mut dismissed = None;
        egui::Area::new(egui::Id::unique("notices"))
            .order(egui::Order::Foreground)
            .anchor(egui::Align2::RIGHT_TOP, egui::vec2(-12.0, 40.0))
            .show(ctx, |ui| {
                ui.set_max_width(420.0);
                for (i, notice) in self.notices.0.iter().enumerate() {
                    let fill = if notice.is_error {
                        theme::ERROR_BG
                    } else {
                        theme::NOTICE_BG
                    };
                    egui::Frame::new()
                        .fill(fill)
                        .inner_margin(6.0)
                        .corner_radius(4.0)
                        .show(ui, |ui| {
                            ui.horizontal_wrapped(|ui| {
                                ui.label(egui::RichText::new(&notice.text).color(theme::ON_BANNER));
                                if ui.small_button(T::Dismiss.tr(lang)).clicked() {
                                    dismissed = Some(i);
                                }
                            });
                        });
                }
            });
        if let Some(i) = dismissed {
            self.notices.0.remove(i);
        }
    }
}

/// The first-run screen: what to do next, and the sample shop.
fn first_run_ui(ui: &mut egui::Ui, lang: Language, busy: bool, commands: &mut Vec<Command>) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.heading(T::EmptyShopTitle.tr(lang));
        ui.add_space(8.0);
        ui.label(T::EmptyShopBody.tr(lang));
        ui.add_space(16.0);
        let button = ui.add_enabled(!busy, egui::Button::new(T::LoadSampleShop.tr(lang)));
        if button.clicked() {
            commands.push(Command::Job(JobStart::new(
                JobKind::SampleShop,
                SAMPLE_ORDERS,
                |store, _operator, tick| {
                    app::settings::load_sample_shop(store, SAMPLE_ORDERS, 1, tick)
                        .map(app::settings::Reply::SampleShopLoaded)
                },
            )));
        }
        ui.label(egui::RichText::new(T::SampleShopHint.tr(lang)).weak());
        ui.add_space(16.0);
        if ui
            .add_enabled(!busy, egui::Button::new(T::ImportOrders.tr(lang)))
            .clicked()
        {
            commands.push(Command::OpenImport);
        }
    });
}

impl eframe::App for ShopDeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ShopDeskApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }
}

/// Opens the window on a database file and runs until it is closed.
pub fn run_window(path: PathBuf) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ShopDesk")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "ShopDesk",
        options,
        Box::new(move |cc| {
            let prefs: Prefs = cc
                .storage
                .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
                .unwrap_or_default();
            let mut app = ShopDeskApp::new(&cc.egui_ctx, path, prefs)?;
            app.take_daily_backup();
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
