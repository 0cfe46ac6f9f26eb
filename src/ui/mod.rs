//! The window: one module per tab. Tabs read view models and return [`Command`]s; the
//! [`ShopDeskApp`] runs them after drawing. No SQL runs inside a frame: the store lives on
//! the backend thread (`backend.rs`).

pub mod backend;
mod couriers;
mod file_picker;
pub mod i18n;
pub mod import_view;
pub mod inventory;
mod order_detail;
pub mod orders_tab;
pub mod picklists_tab;
mod settings_tab;
pub mod shipping;
mod simple_tabs;
pub mod theme;
pub mod waybills_tab;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use backend::{Backend, ImportSpec, Job, Overview, Reply, Request};
use i18n::T;

use crate::store::{Language, Settings};

pub use file_picker::{FileKind, FilePicker};

/// The CJK font compiled into the binary (WenQuanYi Micro Hei, Apache-2.0).
pub const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/WenQuanYiMicroHei.ttf");

/// The tabs, in the order of the top bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Tab {
    #[default]
    Orders,
    ManualOrder,
    Inventory,
    PickLists,
    Waybills,
    Settings,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Orders,
        Tab::ManualOrder,
        Tab::Inventory,
        Tab::PickLists,
        Tab::Waybills,
        Tab::Settings,
    ];

    pub fn title(self) -> T {
        match self {
            Tab::Orders => T::TabOrders,
            Tab::ManualOrder => T::TabManualOrder,
            Tab::Inventory => T::TabInventory,
            Tab::PickLists => T::TabPickLists,
            Tab::Waybills => T::TabWaybills,
            Tab::Settings => T::TabSettings,
        }
    }
}

/// UI preferences kept by eframe between runs. Business data never goes here.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub tab: Tab,
}

/// What a tab asks the app to do, run after the frame is drawn.
#[must_use]
#[derive(Debug)]
pub enum Command {
    Store(Request),
    LoadSampleShop,
    CancelJob,
    /// Reopen the window's data on another database file.
    OpenDatabase(PathBuf),
    Notice(String),
    OpenImport,
    ImportPreview(ImportSpec),
    ImportCommit,
    // Inventory: the product import's preview and commit jobs.
    ProductImportPreview(PathBuf),
    ProductImportCommit,
    // Shipping documents.
    /// Draw, save and record a document on a job thread.
    Print(shipping::PrintJob),
    OpenPdf(PathBuf),
    PrintPdf(PathBuf),
    /// The Orders tab's selection becomes the next pick-list batch.
    PickListFromSelection(Vec<i64>),
    WaybillsForBatch(i64),
}

/// A message shown at the top of the window until dismissed (errors) or for a while.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    pub shown_at: Instant,
}

/// How many orders the first-run button writes.
pub const SAMPLE_ORDERS: u64 = 2000;

/// The whole application state.
pub struct ShopDeskApp {
    pub prefs: Prefs,
    pub backend: Backend,
    pub overview: Option<Overview>,
    pub settings: Settings,
    pub notices: Vec<Notice>,
    pub job: Option<Job>,
    /// The database could not be opened; the tabs stay empty and the error is shown.
    pub open_failed: bool,
    pub orders: orders_tab::OrdersTab,
    pub inventory: inventory::InventoryTab,
    pub settings_tab: settings_tab::SettingsTab,
    pub import: import_view::ImportView,
    // Shipping documents.
    pub shipping: picklists_tab::ShippingData,
    pub picklists: picklists_tab::PickListsTab,
    pub waybills: waybills_tab::WaybillsTab,
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

impl ShopDeskApp {
    /// Builds the app on a database file; the store opens on the backend thread.
    pub fn new(ctx: &egui::Context, path: PathBuf, prefs: Prefs) -> std::io::Result<ShopDeskApp> {
        install_fonts(ctx);
        let repaint_ctx = ctx.clone();
        let backend = Backend::start(path, Arc::new(move || repaint_ctx.request_repaint()))?;
        let mut app = ShopDeskApp {
            prefs,
            backend,
            overview: None,
            settings: Settings::default(),
            notices: Vec::new(),
            job: None,
            open_failed: false,
            orders: orders_tab::OrdersTab::default(),
            inventory: inventory::InventoryTab::default(),
            settings_tab: settings_tab::SettingsTab::default(),
            import: import_view::ImportView::default(),
            shipping: picklists_tab::ShippingData::default(),
            picklists: picklists_tab::PickListsTab::default(),
            waybills: waybills_tab::WaybillsTab::default(),
        };
        app.reload_all();
        Ok(app)
    }

    /// The language the window speaks.
    pub fn language(&self) -> Language {
        self.settings.language
    }

    /// Asks for everything the tabs show; called on start and after a change of data.
    fn reload_all(&mut self) {
        self.backend.send(Request::Overview);
        self.orders.invalidate();
        self.inventory.invalidate();
        self.reload_shipping();
    }

    /// Blocks until every request is answered and applied (tests and benchmarks).
    pub fn settle(&mut self) {
        loop {
            let replies = self.backend.wait();
            if replies.is_empty() {
                return;
            }
            for reply in replies {
                self.apply(reply);
            }
        }
    }

    fn notice(&mut self, text: impl Into<String>, is_error: bool) {
        let text = text.into();
        // An error is shown once, not stacked each time it repeats.
        if self.notices.iter().any(|n| n.text == text) {
            return;
        }
        self.notices.push(Notice {
            text,
            is_error,
            shown_at: Instant::now(),
        });
    }

    fn apply(&mut self, reply: Reply) {
        let Some(reply) = self.apply_shipping_reply(reply) else {
            return;
        };
        match reply {
            Reply::Overview(overview, settings) => {
                self.overview = Some(overview);
                if self.settings_tab.draft.is_none() || !self.settings_tab.dirty {
                    self.settings_tab.draft = Some((*settings).clone());
                }
                self.settings = *settings;
            }
            Reply::SettingsSaved(settings) => {
                self.settings = *settings;
                self.settings_tab.draft = Some(self.settings.clone());
                self.settings_tab.dirty = false;
                self.notice(T::Saved.tr(self.language()), false);
            }
            Reply::Orders {
                generation,
                offset,
                rows,
                total,
            } => self.orders.receive(generation, offset, rows, total),
            Reply::Inventory(reply) => {
                if matches!(reply, inventory::InvReply::Previewed(_)) {
                    self.job = None;
                }
                let (notice, changed) = self.inventory.apply(reply, self.language());
                if let Some((text, is_error)) = notice {
                    self.notice(text, is_error);
                }
                if changed {
                    self.reload_all();
                }
            }
            Reply::ImportProfiles(profiles) => self.import.profiles = profiles,
            Reply::OrderDetail(detail, problems) => self.orders.receive_detail(detail, problems),
            Reply::ReviewQueue(queue) => self.orders.queue = Some(queue),
            Reply::MergeProposals(groups) => self.orders.proposals = Some(groups),
            Reply::Acted(outcome) => {
                let lang = self.language();
                let mut text = format!("{} {}", outcome.done, T::ActionResult.tr(lang));
                if !outcome.refused.is_empty() {
                    text.push_str(&format!(
                        ", {} {}: ",
                        outcome.refused.len(),
                        T::Refused.tr(lang)
                    ));
                    let reasons: Vec<String> = outcome
                        .refused
                        .iter()
                        .take(5)
                        .map(|(no, why)| format!("{no}: {why}"))
                        .collect();
                    text.push_str(&reasons.join("; "));
                }
                self.notice(text, !outcome.refused.is_empty());
                self.reload_all();
            }
            Reply::Sample(sample) => self.import.sample = Some(sample),
            Reply::ImportPreviewed(result) => {
                self.job = None;
                match result {
                    Ok(preview) => self.import.preview = Some(preview),
                    Err(text) => self.notice(text, true),
                }
            }
            Reply::Error(text) => self.notice(text, true),
            Reply::Unavailable => {}
            Reply::OpenFailed(text) => {
                self.open_failed = true;
                self.notice(text, true);
            }
            Reply::Shipping(_) | Reply::Printed(_) => {}
            Reply::JobDone(result) => {
                let was_import = self.job.as_ref().is_some_and(|j| j.label == "import");
                let was_product_import = self
                    .job
                    .as_ref()
                    .is_some_and(|j| j.label == "product-import");
                self.job = None;
                match result {
                    Ok(text) if was_import => {
                        self.import.finish();
                        self.notice(text, false);
                    }
                    Ok(text) if was_product_import => {
                        self.inventory.preview = None;
                        self.notice(text, false);
                    }
                    Ok(text) => {
                        let msg = format!("{} ({text})", T::SampleLoaded.tr(self.language()));
                        self.notice(msg, false);
                    }
                    Err(text) => self.notice(text, true),
                }
                self.reload_all();
            }
        }
    }

    fn run(&mut self, command: Command) {
        let Some(command) = self.run_shipping(command) else {
            return;
        };
        match command {
            Command::Store(request) => self.backend.send(request),
            Command::LoadSampleShop => {
                if self.job.is_none() {
                    match self.backend.start_demo(SAMPLE_ORDERS) {
                        Ok(job) => self.job = Some(job),
                        Err(e) => self.notice(format!("cannot start the sample shop: {e}"), true),
                    }
                }
            }
            Command::CancelJob => {
                if let Some(job) = &self.job {
                    job.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            Command::OpenDatabase(path) => {
                let repaint = Arc::clone(&self.backend_repaint());
                match Backend::start(path, repaint) {
                    Ok(backend) => {
                        self.backend = backend;
                        self.overview = None;
                        self.open_failed = false;
                        self.notices.clear();
                        self.settings_tab = settings_tab::SettingsTab::default();
                        self.reload_all();
                    }
                    Err(e) => self.notice(format!("cannot open the database: {e}"), true),
                }
            }
            Command::Notice(text) => self.notice(text, false),
            Command::OpenImport => {
                self.prefs.tab = Tab::Orders;
                self.import.open = true;
            }
            Command::ImportPreview(spec) => {
                if self.job.is_none() {
                    match self.backend.start_import_preview(spec) {
                        Ok(job) => self.job = Some(job),
                        Err(e) => self.notice(format!("cannot start the import: {e}"), true),
                    }
                }
            }
            Command::ProductImportPreview(file) => {
                if self.job.is_none() {
                    match self.backend.start_product_preview(file) {
                        Ok(job) => self.job = Some(job),
                        Err(e) => self.notice(format!("cannot start the import: {e}"), true),
                    }
                }
            }
            Command::ProductImportCommit => {
                if self.job.is_none()
                    && let Some(preview) = self.inventory.preview.take()
                {
                    match self.backend.start_product_commit(preview) {
                        Ok(job) => self.job = Some(job),
                        Err(e) => self.notice(format!("cannot start the import: {e}"), true),
                    }
                }
            }
            Command::ImportCommit => {
                if self.job.is_none()
                    && let Some(preview) = self.import.preview.take()
                {
                    match self.backend.start_import_commit(preview) {
                        Ok(job) => self.job = Some(job),
                        Err(e) => self.notice(format!("cannot start the import: {e}"), true),
                    }
                }
            }
            Command::Print(_)
            | Command::OpenPdf(_)
            | Command::PrintPdf(_)
            | Command::PickListFromSelection(_)
            | Command::WaybillsForBatch(_) => {}
        }
    }

    fn backend_repaint(&self) -> Arc<dyn Fn() + Send + Sync> {
        self.backend.repaint_handle()
    }

    /// Draws one frame of the whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        for reply in self.backend.poll() {
            self.apply(reply);
        }
        let lang = self.language();
        let mut commands = Vec::new();

        egui::Panel::top("tabs").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(T::AppTitle.tr(lang));
                if !self.settings.shop_name.is_empty() {
                    ui.label(egui::RichText::new(&self.settings.shop_name).weak());
                }
                ui.separator();
                for tab in Tab::ALL {
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

        egui::CentralPanel::default().show(ui, |ui| {
            self.notices_ui(ui);
            if self.import.open && self.prefs.tab == Tab::Orders {
                let busy = self.job.is_some();
                self.import.ui(ui, lang, busy, &mut commands);
                return;
            }
            if let Some(overview) = &self.overview
                && overview.products == 0
                && overview.orders == 0
                && self.prefs.tab != Tab::Settings
            {
                first_run_ui(ui, lang, self.job.is_some(), &mut commands);
                return;
            }
            let overview = self.overview.clone().unwrap_or_default();
            match self.prefs.tab {
                Tab::Orders => self.orders.ui(ui, lang, &overview, &mut commands),
                Tab::ManualOrder => simple_tabs::manual_order_ui(ui, lang),
                Tab::Inventory => self
                    .inventory
                    .ui(ui, lang, self.job.is_some(), &mut commands),
                Tab::PickLists => {
                    let busy = self.job.is_some();
                    self.picklists
                        .ui(ui, lang, &mut self.shipping, busy, &mut commands);
                }
                Tab::Waybills => {
                    let busy = self.job.is_some();
                    self.waybills
                        .ui(ui, lang, &mut self.shipping, busy, &mut commands);
                }
                Tab::Settings => self
                    .settings_tab
                    .ui(ui, lang, self.backend.path(), &mut commands),
            }
        });

        for command in commands {
            self.run(command);
        }
        // Notices (not errors) fade after a while.
        let now = Instant::now();
        self.notices
            .retain(|n| n.is_error || now.duration_since(n.shown_at) < Duration::from_secs(6));
        if self.notices.iter().any(|n| !n.is_error) {
            ui.ctx().request_repaint_after(Duration::from_secs(1));
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
                        "{} {} · {} {}",
                        o.products,
                        T::StatusProducts.tr(lang),
                        o.orders,
                        T::StatusOrders.tr(lang)
                    ));
                }
                None if self.open_failed => {
                    ui.colored_label(theme::ERROR_BG, T::NotOpened.tr(lang));
                }
                None => {
                    ui.label(T::Loading.tr(lang));
                }
            }
            ui.separator();
            ui.label(format!(
                "{}: {}",
                T::StatusOperator.tr(lang),
                self.settings.operator
            ));
            if let Some(job) = &self.job {
                ui.separator();
                let doing = match job.label {
                    "print" => T::ShipPrinting,
                    label if label.ends_with("import") => T::Importing,
                    _ => T::LoadingSample,
                };
                ui.label(doing.tr(lang));
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

    fn notices_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.language();
        let mut dismissed = None;
        for (i, notice) in self.notices.iter().enumerate() {
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
                    ui.horizontal(|ui| {
                        ui.label(egui::RichText::new(&notice.text).color(theme::ON_BANNER));
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui.small_button(T::Dismiss.tr(lang)).clicked() {
                                dismissed = Some(i);
                            }
                        });
                    });
                });
        }
        if let Some(i) = dismissed {
            self.notices.remove(i);
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
            commands.push(Command::LoadSampleShop);
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
            let app = ShopDeskApp::new(&cc.egui_ctx, path, prefs)?;
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
