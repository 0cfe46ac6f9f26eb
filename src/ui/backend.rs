//! The window's link to the database: a named thread that owns the [`Store`] and answers
//! requests, so no frame ever waits on SQL. Long jobs (the sample shop, later imports and
//! batch PDFs) run on threads of their own with progress and cancel.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use super::inventory::{InvReply, InvRequest, ProductPreview, requests as inventory};
use crate::domain::{Event, Flag, OrderState};
use crate::import::{self, ColumnMapping, Encoding, EncodingChoice, Parsed};
use crate::store::{
    ImportSummary, OrderCount, OrderDetail, OrderQuery, OrderRow, ReceiverEdit, Settings, Store,
};

/// The order list counts up to this many matches, then shows "10000+".
pub const LIST_COUNT_CAP: i64 = 10_000;

/// Something the owner does to one or more orders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderAction {
    /// A state-machine event (review, payment received, hold, release, cancel, archive…).
    Event {
        ids: Vec<i64>,
        event: Event,
    },
    Flag {
        ids: Vec<i64>,
        flag: Flag,
        remark: Option<String>,
    },
    Merge {
        main: i64,
        others: Vec<i64>,
    },
    Unmerge {
        main: i64,
    },
    /// 审核 with the checks: orders with problems stay pending, with their reasons.
    Review {
        ids: Vec<i64>,
    },
    EditReceiver {
        id: i64,
        edit: ReceiverEdit,
    },
    /// Move these lines to a new order (ship what is in stock now, the rest later).
    Split {
        id: i64,
        line_ids: Vec<i64>,
    },
    Remark {
        id: i64,
        remark: String,
    },
}

/// How an action went: how many orders it changed, and why the others were refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionOutcome {
    pub done: usize,
    /// (order number, reason)
    pub refused: Vec<(String, String)>,
}

/// Which kind of export is imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ImportFormat {
    #[default]
    Taobao,
    Shopify,
    Csv,
}

impl ImportFormat {
    pub fn code(self) -> &'static str {
        match self {
            ImportFormat::Taobao => "taobao",
            ImportFormat::Shopify => "shopify",
            ImportFormat::Csv => "csv",
        }
    }
}

/// What to import: the format, its files (Taobao: orders then items), and how to read them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSpec {
    pub format: ImportFormat,
    pub files: Vec<PathBuf>,
    pub encoding: EncodingChoice,
    pub mapping: Option<ColumnMapping>,
}

/// A parsed import and what committing it would do.
#[derive(Debug)]
pub struct ImportPreview {
    pub spec: ImportSpec,
    pub parsed: Parsed,
    pub summary: ImportSummary,
}

/// The first rows of a file for the column-mapping screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSample {
    pub file: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub encoding: Encoding,
}

/// What the window asks of the store.
#[derive(Debug)]
pub enum Request {
    /// Counts for the status bar and the empty states, and the settings.
    Overview,
    SaveSettings(Settings),
    /// A page of the order list; `generation` lets the tab drop stale answers.
    Orders {
        generation: u64,
        query: OrderQuery,
        with_total: bool,
    },
    /// The saved column mappings.
    ImportProfiles,
    SaveImportProfile(ColumnMapping),
    /// Everything about one order, for the detail panel.
    OrderDetail(i64),
    Act(OrderAction),
    /// Pending orders with what keeps each from approval.
    ReviewQueue,
    /// Orders of the same buyer and address that could ship together.
    MergeProposals,
    /// Headers and first rows of a CSV file, for the mapping screen.
    Sample {
        file: PathBuf,
        encoding: EncodingChoice,
    },
    // Inventory: every request of the Inventory tab.
    Inventory(InvRequest),
    // Shipping documents.
    Shipping(super::shipping::ShipRequest),
}

/// Counts the window shows without asking again every frame.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overview {
    pub products: i64,
    pub orders: i64,
    /// Orders per state, in `OrderState::ALL` order.
    pub by_state: Vec<(OrderState, i64)>,
}

impl Overview {
    pub fn count(&self, state: OrderState) -> i64 {
        self.by_state
            .iter()
            .find(|(s, _)| *s == state)
            .map_or(0, |(_, n)| *n)
    }
}

/// The store's answers.
#[derive(Debug)]
pub enum Reply {
    Overview(Overview, Box<Settings>),
    SettingsSaved(Box<Settings>),
    Orders {
        generation: u64,
        offset: u32,
        rows: Vec<OrderRow>,
        total: Option<OrderCount>,
    },
    ImportProfiles(Vec<ColumnMapping>),
    Sample(FileSample),
    /// An order and, while pending, what its review would find.
    OrderDetail(Box<OrderDetail>, Vec<String>),
    Acted(ActionOutcome),
    ReviewQueue(Vec<(OrderRow, Vec<String>)>),
    MergeProposals(Vec<Vec<OrderRow>>),
    /// An import was parsed and dry-run (or failed as a whole).
    ImportPreviewed(Result<Box<ImportPreview>, String>),
    /// A request failed; shown once in the window.
    Error(String),
    /// The database file could not be opened (sent once, unasked, when the thread starts).
    OpenFailed(String),
    /// The answer to a request while the database is not open.
    Unavailable,
    /// A job finished (with a message) or failed.
    JobDone(Result<String, String>),
    // Inventory: every answer to the Inventory tab.
    Inventory(InvReply),
    // Shipping documents.
    Shipping(super::shipping::ShipReply),
    /// A print job finished (the PDF, what it did) or failed.
    Printed(Result<Box<crate::docs::batch::Printed>, String>),
}

/// A long job in progress: how far it got, and a way to stop it.
pub struct Job {
    pub label: &'static str,
    pub done: Arc<AtomicU64>,
    pub total: u64,
    pub cancel: Arc<AtomicBool>,
    _thread: JoinHandle<()>,
}

impl Job {
    /// 0.0 ..= 1.0
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            (self.done.load(Ordering::Relaxed) as f32 / self.total as f32).min(1.0)
        }
    }
}

/// The sending end of the window, and the thread behind it.
pub struct Backend {
    path: PathBuf,
    requests: Sender<Request>,
    replies: Receiver<Reply>,
    reply_sender: Sender<Reply>,
    in_flight: usize,
    repaint: Arc<dyn Fn() + Send + Sync>,
}

impl Backend {
    /// Opens the store on its own thread. Opening errors (a file that is not ShopDesk's)
    /// come back as the first reply.
    pub fn start(path: PathBuf, repaint: Arc<dyn Fn() + Send + Sync>) -> std::io::Result<Backend> {
        let (requests, request_rx) = channel::<Request>();
        let (reply_sender, replies) = channel::<Reply>();
        let tx = reply_sender.clone();
        let thread_path = path.clone();
        let thread_repaint = Arc::clone(&repaint);
        std::thread::Builder::new()
            .name("shopdesk-store".to_owned())
            .spawn(move || serve(thread_path, request_rx, tx, thread_repaint))?;
        Ok(Backend {
            path,
            requests,
            replies,
            reply_sender,
            in_flight: 0,
            repaint,
        })
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// The callback that wakes the window when an answer arrives.
    pub fn repaint_handle(&self) -> Arc<dyn Fn() + Send + Sync> {
        Arc::clone(&self.repaint)
    }

    /// Sends a request; its answer arrives through [`Backend::poll`].
    pub fn send(&mut self, request: Request) {
        if self.requests.send(request).is_ok() {
            self.in_flight += 1;
        } else {
            let _ = self
                .reply_sender
                .send(Reply::Error("the database thread has stopped".to_owned()));
        }
    }

    /// The answers that have arrived, without waiting.
    pub fn poll(&mut self) -> Vec<Reply> {
        let replies: Vec<Reply> = self.replies.try_iter().collect();
        self.count_answers(&replies);
        replies
    }

    /// Waits for every request sent so far to be answered (tests and benchmarks).
    pub fn wait(&mut self) -> Vec<Reply> {
        let mut out = Vec::new();
        while self.in_flight > 0 {
            let Ok(reply) = self.replies.recv() else {
                break;
            };
            self.count_answers(std::slice::from_ref(&reply));
            out.push(reply);
        }
        out.extend(self.poll());
        out
    }

    fn count_answers(&mut self, replies: &[Reply]) {
        let answers = replies
            .iter()
            .filter(|r| {
                !matches!(
                    r,
                    Reply::JobDone(_)
                        | Reply::OpenFailed(_)
                        | Reply::ImportPreviewed(_)
                        | Reply::Inventory(InvReply::Previewed(_))
                        | Reply::Printed(_)
                )
            })
            .count();
        self.in_flight = self.in_flight.saturating_sub(answers);
    }

    /// Starts writing the sample shop on a thread of its own.
    pub fn start_demo(&mut self, orders: u64) -> std::io::Result<Job> {
        let path = self.path.clone();
        spawn_job(
            "shopdesk-demo",
            "demo",
            orders,
            Arc::clone(&self.repaint),
            self.reply_sender.clone(),
            move |tick| {
                let result = Store::open(&path)
                    .and_then(|mut store| {
                        let now = chrono::Local::now().fixed_offset();
                        store.load_demo(orders, 1, now, &mut |n| tick(n))
                    })
                    .map(|s| format!("{} products, {} orders", s.products, s.orders))
                    .map_err(|e| e.to_string());
                Reply::JobDone(result)
            },
        )
    }
}

impl Backend {
    /// Draws, writes and records a shipping document on a thread of its own.
    pub fn start_print(&mut self, job: super::shipping::PrintJob) -> std::io::Result<Job> {
        let path = self.path.clone();
        spawn_job(
            "shopdesk-print",
            "print",
            job.orders() as u64,
            Arc::clone(&self.repaint),
            self.reply_sender.clone(),
            move |tick| Reply::Printed(super::shipping::run_print(&path, job, tick).map(Box::new)),
        )
    }
}

/// Runs a job body on a named thread with a progress counter and a cancel flag.
fn spawn_job(
    name: &str,
    label: &'static str,
    total: u64,
    repaint: Arc<dyn Fn() + Send + Sync>,
    tx: Sender<Reply>,
    body: impl FnOnce(&dyn Fn(u64) -> bool) -> Reply + Send + 'static,
) -> std::io::Result<Job> {
    let done = Arc::new(AtomicU64::new(0));
    let cancel = Arc::new(AtomicBool::new(false));
    let (thread_done, thread_cancel) = (Arc::clone(&done), Arc::clone(&cancel));
    let thread = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let tick = |n: u64| {
                thread_done.store(n, Ordering::Relaxed);
                repaint();
                !thread_cancel.load(Ordering::Relaxed)
            };
            let reply = body(&tick);
            let _ = tx.send(reply);
            repaint();
        })?;
    Ok(Job {
        label,
        done,
        total,
        cancel,
        _thread: thread,
    })
}

fn parse(spec: &ImportSpec, tick: &dyn Fn(u64) -> bool) -> Result<Parsed, String> {
    let result = match spec.format {
        ImportFormat::Taobao => match spec.files.as_slice() {
            [orders, items] => import::parse_taobao(orders, items, spec.encoding, tick),
            _ => return Err("choose the order report and the item report".to_owned()),
        },
        ImportFormat::Shopify => match spec.files.as_slice() {
            [file] => import::parse_shopify(file, spec.encoding, tick),
            _ => return Err("choose one Shopify export".to_owned()),
        },
        ImportFormat::Csv => match (spec.files.as_slice(), &spec.mapping) {
            ([file], Some(mapping)) => import::parse_mapped(file, mapping, spec.encoding, tick),
            _ => return Err("choose a file and a column mapping".to_owned()),
        },
    };
    result.map_err(|e| e.to_string())
}

impl Backend {
    /// Parses the files and runs the import as a rolled-back transaction: the preview.
    pub fn start_import_preview(&mut self, spec: ImportSpec) -> std::io::Result<Job> {
        let total = spec
            .files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        let path = self.path.clone();
        spawn_job(
            "shopdesk-import-preview",
            "import",
            total,
            Arc::clone(&self.repaint),
            self.reply_sender.clone(),
            move |tick| {
                let result = parse(&spec, tick).and_then(|parsed| {
                    let mut store = Store::open(&path).map_err(|e| e.to_string())?;
                    let files: Vec<&std::path::Path> =
                        spec.files.iter().map(PathBuf::as_path).collect();
                    let summary = store
                        .import_orders(
                            &parsed.orders,
                            spec.format.code(),
                            &files,
                            parsed.rejected.len() as u64,
                            true,
                            &mut |_| true,
                        )
                        .map_err(|e| e.to_string())?;
                    Ok(Box::new(ImportPreview {
                        spec,
                        parsed,
                        summary,
                    }))
                });
                Reply::ImportPreviewed(result)
            },
        )
    }

    /// Commits a previewed import in one transaction, with progress and cancel.
    pub fn start_import_commit(&mut self, preview: Box<ImportPreview>) -> std::io::Result<Job> {
        let path = self.path.clone();
        spawn_job(
            "shopdesk-import",
            "import",
            2 * preview.parsed.orders.len() as u64,
            Arc::clone(&self.repaint),
            self.reply_sender.clone(),
            move |tick| {
                let result = Store::open(&path)
                    .and_then(|mut store| {
                        let files: Vec<&std::path::Path> =
                            preview.spec.files.iter().map(PathBuf::as_path).collect();
                        store.import_orders(
                            &preview.parsed.orders,
                            preview.spec.format.code(),
                            &files,
                            preview.parsed.rejected.len() as u64,
                            false,
                            &mut |n| tick(n),
                        )
                    })
                    .map(|s| {
                        format!(
                            "imported: {} new, {} updated, {} unchanged, {} rejected",
                            s.new, s.updated, s.unchanged, s.rejected
                        )
                    })
                    .map_err(|e| e.to_string());
                Reply::JobDone(result)
            },
        )
    }
}

// Inventory: the product import runs on a job thread, as the order import does.
impl Backend {
    /// Parses a product file and dry-runs it: the preview.
    pub fn start_product_preview(&mut self, file: PathBuf) -> std::io::Result<Job> {
        let total = std::fs::metadata(&file).map_or(0, |m| m.len());
        let path = self.path.clone();
        spawn_job(
            "shopdesk-product-preview",
            "product-import",
            total,
            Arc::clone(&self.repaint),
            self.reply_sender.clone(),
            move |tick| {
                Reply::Inventory(InvReply::Previewed(inventory::preview_products(
                    &path, file, tick,
                )))
            },
        )
    }

    /// Commits a previewed product import in one transaction, with progress and cancel.
    pub fn start_product_commit(&mut self, preview: Box<ProductPreview>) -> std::io::Result<Job> {
        let path = self.path.clone();
        spawn_job(
            "shopdesk-product-import",
            "product-import",
            preview.parsed.products.len() as u64,
            Arc::clone(&self.repaint),
            self.reply_sender.clone(),
            move |tick| Reply::JobDone(inventory::commit_products(&path, &preview, tick)),
        )
    }
}

fn serve(
    path: PathBuf,
    requests: Receiver<Request>,
    replies: Sender<Reply>,
    repaint: Arc<dyn Fn() + Send + Sync>,
) {
    let mut store = match Store::open(&path) {
        Ok(store) => Some(store),
        Err(e) => {
            let _ = replies.send(Reply::OpenFailed(e.to_string()));
            repaint();
            None
        }
    };
    for request in requests {
        let reply = match store.as_mut() {
            Some(store) => answer(store, request),
            // The opening error was reported once already.
            None => Reply::Unavailable,
        };
        if replies.send(reply).is_err() {
            return;
        }
        repaint();
    }
}

/// Runs an action order by order: one refusal does not stop the others, and each order's
/// change is its own transaction.
fn act(store: &mut Store, action: &OrderAction) -> ActionOutcome {
    let mut outcome = ActionOutcome::default();
    let number = |store: &Store, id: i64| {
        store
            .order_detail(id)
            .map(|d| d.row.order_no)
            .unwrap_or_else(|_| format!("#{id}"))
    };
    let mut record = |store: &Store, id: i64, result: crate::store::Result<()>| match result {
        Ok(()) => outcome.done += 1,
        Err(e) => outcome.refused.push((number(store, id), e.to_string())),
    };
    match action {
        OrderAction::Event { ids, event } => {
            for id in ids {
                let result = store.apply_event(*id, *event).map(|_| ());
                record(store, *id, result);
            }
        }
        OrderAction::Flag { ids, flag, remark } => {
            for id in ids {
                let result = store.set_flag(*id, *flag, remark.as_deref());
                record(store, *id, result);
            }
        }
        OrderAction::Merge { main, others } => {
            let result = store.merge_orders(*main, others);
            record(store, *main, result);
        }
        OrderAction::Unmerge { main } => {
            let result = store.unmerge_order(*main).map(|_| ());
            record(store, *main, result);
        }
        OrderAction::Review { ids } => match store.review_orders(ids) {
            Ok(outcomes) => {
                for o in outcomes {
                    if o.approved {
                        outcome.done += 1;
                    } else {
                        let why: Vec<String> =
                            o.problems.iter().map(|p| p.message.clone()).collect();
                        outcome.refused.push((o.order_no, why.join("; ")));
                    }
                }
            }
            Err(e) => outcome.refused.push((String::new(), e.to_string())),
        },
        OrderAction::EditReceiver { id, edit } => {
            let result = store.update_receiver(*id, edit);
            record(store, *id, result);
        }
        OrderAction::Remark { id, remark } => {
            let result = store.set_remark(*id, remark);
            record(store, *id, result);
        }
        OrderAction::Split { id, line_ids } => {
            let result = store.split_order(*id, line_ids).map(|_| ());
            record(store, *id, result);
        }
    }
    outcome
}

fn answer(store: &mut Store, request: Request) -> Reply {
    let result = (|| -> crate::store::Result<Reply> {
        Ok(match request {
            Request::Overview => {
                let (products, orders) = store.counts()?;
                let mut by_state = Vec::new();
                for state in OrderState::ALL {
                    let n = store.count_orders(&OrderQuery {
                        state: Some(state),
                        ..OrderQuery::default()
                    })?;
                    by_state.push((state, n));
                }
                Reply::Overview(
                    Overview {
                        products,
                        orders,
                        by_state,
                    },
                    Box::new(store.settings()?),
                )
            }
            Request::SaveSettings(settings) => {
                store.save_settings(&settings)?;
                Reply::SettingsSaved(Box::new(store.settings()?))
            }
            Request::Orders {
                generation,
                query,
                with_total,
            } => {
                let total = if with_total {
                    Some(store.count_orders_capped(&query, LIST_COUNT_CAP)?)
                } else {
                    None
                };
                Reply::Orders {
                    generation,
                    offset: query.offset,
                    rows: store.query_orders(&query)?,
                    total,
                }
            }
            Request::OrderDetail(id) => {
                let detail = store.order_detail(id)?;
                let problems = if detail.row.state == OrderState::PendingReview {
                    store
                        .review_problems(id)?
                        .into_iter()
                        .map(|p| p.message)
                        .collect()
                } else {
                    Vec::new()
                };
                Reply::OrderDetail(Box::new(detail), problems)
            }
            Request::ReviewQueue => Reply::ReviewQueue(
                store
                    .review_queue(500)?
                    .into_iter()
                    .map(|(row, problems)| (row, problems.into_iter().map(|p| p.message).collect()))
                    .collect(),
            ),
            Request::MergeProposals => Reply::MergeProposals(store.merge_proposals()?),
            Request::Act(action) => Reply::Acted(act(store, &action)),
            Request::ImportProfiles => {
                let mut profiles = Vec::new();
                for name in store.import_profile_names()? {
                    let json = store.import_profile(&name)?;
                    if let Ok(mapping) = serde_json::from_str::<ColumnMapping>(&json) {
                        profiles.push(mapping);
                    }
                }
                Reply::ImportProfiles(profiles)
            }
            Request::SaveImportProfile(mapping) => {
                let json = serde_json::to_string(&mapping)
                    .map_err(|e| crate::store::StoreError::Invalid(e.to_string()))?;
                store.save_import_profile(&mapping.name, &json)?;
                return Ok(answer(store, Request::ImportProfiles));
            }
            Request::Inventory(request) => Reply::Inventory(inventory::answer(store, request)?),
            Request::Sample { file, encoding } => match import::headers(&file, encoding) {
                Ok((headers, rows, encoding)) => Reply::Sample(FileSample {
                    file,
                    headers,
                    rows,
                    encoding,
                }),
                Err(e) => Reply::Error(e.to_string()),
            },
            Request::Shipping(request) => Reply::Shipping(super::shipping::answer(store, request)?),
        })
    })();
    result.unwrap_or_else(|e| Reply::Error(e.to_string()))
}
