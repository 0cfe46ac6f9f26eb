//! After-sales (售后): cases from the buyer's first message to the closed case — refunds,
//! returns with restock, exchanges and reshipments as linked orders, complaints — the
//! return parcels as they arrive (scanned at the same scan field as the pack station),
//! damaged goods and what becomes of them, the marketplace's refund export, the day's
//! figures, and the service queues (unpaid orders to follow up, problem orders).

use std::path::{Path, PathBuf};

use crate::domain::after_sales::{CaseLineSpec, CaseType, DamagedDecision, parse_case_line};
use crate::domain::parse_cents;
use crate::import::RowError;
use crate::import::refunds::{RefundMapping, read_refunds};
use crate::store::{
    CaseDetail, CaseEdit, CaseFigures, CaseFilter, CasePage, CaseReason, DamagedRow, ManualLine,
    NewCase, OrderDetail, ParcelMatch, QueueRow, RefundImport, Store, StoreError, UnknownParcel,
    now_text,
};

use super::{AppError, Changed, InputError, Result};

/// Rows a service queue shows at most.
pub const QUEUE_LIMIT: u32 = 200;

/// What the After-sales tab asks of the store.
#[derive(Debug)]
pub enum Request {
    /// The list with its filter, the day's figures and the reasons: the tab's view.
    Overview(CaseFilter),
    /// One more page of the list.
    Page(CaseFilter),
    Detail(i64),
    /// The order a new case is opened on: its lines and money (by number, tracking number
    /// or a merged order's number).
    FindOrder(String),
    Open(Box<NewCase>),
    AwaitReturn {
        id: i64,
        return_tracking: String,
    },
    /// A return parcel scanned: which case it belongs to.
    Scan(String),
    Receive {
        id: i64,
        lines: Vec<CaseLineSpec>,
        tracking: String,
    },
    UnknownParcel {
        tracking: String,
        courier: String,
        contents: String,
    },
    AssignParcel {
        parcel: i64,
        case: i64,
        /// What came back in it; empty: its recorded contents.
        lines: Vec<CaseLineSpec>,
    },
    Refund {
        id: i64,
        cents: i64,
        note: String,
    },
    Exchange {
        id: i64,
        lines: Vec<ManualLine>,
    },
    Reship {
        id: i64,
        lines: Vec<ManualLine>,
    },
    Close {
        id: i64,
        clear_flag: bool,
        /// Close an exchange whose goods never came back, waiving them.
        without_goods: bool,
    },
    Reject {
        id: i64,
        reason: String,
        /// Take the case's flag off the order (as on closing).
        clear_flag: bool,
    },
    Edit {
        id: i64,
        edit: CaseEdit,
    },
    SaveReason(CaseReason),
    Damaged,
    Decide {
        code: String,
        quantity: i64,
        decision: DamagedDecision,
        note: String,
    },
    Queues,
    FollowUp {
        order_id: i64,
        note: String,
    },
    ImportRefunds {
        file: PathBuf,
        mapping: Option<MappingSource>,
        /// Import the valid rows when some are rejected (otherwise nothing is written).
        skip_invalid: bool,
    },
}

/// Where a refund export's column mapping comes from (none: Taobao's refund report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingSource {
    /// A JSON file.
    File(PathBuf),
    /// A mapping saved with `import save-profile`.
    Profile(String),
}

/// The tab's view: a page of cases, the figures and the reasons.
#[derive(Debug)]
pub struct Overview {
    pub page: CasePage,
    pub figures: CaseFigures,
    pub reasons: Vec<CaseReason>,
    pub unknown: Vec<UnknownParcel>,
    /// The time the overdue marks were computed against.
    pub now: String,
}

/// What a scan found: the case with its detail, or what to do instead.
#[derive(Debug)]
pub enum Scanned {
    Case(Box<CaseDetail>),
    Several(Vec<i64>),
    OrderWithoutCase { order_no: String },
    Unknown { scanned: String },
}

/// A refund import as it went: the store's outcome and the rows left out.
#[derive(Debug, Default)]
pub struct RefundsImported {
    pub outcome: RefundImport,
    pub rejected: Vec<RowError>,
    /// False when rows were rejected and the valid ones were not to be imported alone:
    /// nothing was written.
    pub written: bool,
}

/// What an action did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    Opened(i64),
    Waiting(i64),
    Received(i64),
    Refunded {
        id: i64,
        cents: i64,
    },
    /// The replacement or reshipment order's number.
    SentAgain {
        id: i64,
        order_no: String,
    },
    Closed {
        id: i64,
        /// The case's flag came off the order.
        flag_cleared: bool,
    },
    Rejected(i64),
    Edited(i64),
    UnknownRecorded(i64),
    ParcelAssigned {
        parcel: i64,
        case: i64,
    },
    ReasonSaved(String),
    Decided {
        code: String,
        quantity: i64,
    },
    FollowedUp(i64),
}

/// The store's answers.
#[derive(Debug)]
pub enum Reply {
    Overview(Box<Overview>),
    Page(CasePage),
    Detail(Box<CaseDetail>),
    Order(Box<OrderDetail>),
    Scanned(Scanned),
    Damaged(Vec<DamagedRow>),
    Queues {
        unpaid: Vec<QueueRow>,
        problems: Vec<QueueRow>,
    },
    Done(Done),
    Imported(RefundsImported),
}

impl Reply {
    pub fn changed(&self) -> Changed {
        match self {
            Reply::Done(Done::Received(_) | Done::Decided { .. }) => {
                Changed::CASES | Changed::ORDERS | Changed::STOCK
            }
            Reply::Done(Done::SentAgain { .. }) => {
                Changed::CASES | Changed::ORDERS | Changed::STOCK | Changed::SHIPPING
            }
            Reply::Done(Done::ReasonSaved(_)) => Changed::CASES,
            Reply::Done(_) | Reply::Imported(_) => Changed::CASES | Changed::ORDERS,
            _ => Changed::NOTHING,
        }
    }
}

pub fn handle(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    Ok(match request {
        Request::Overview(filter) => Reply::Overview(Box::new(overview(store, &filter)?)),
        Request::Page(filter) => Reply::Page(store.cases(&filter, &now_text())?),
        Request::Detail(id) => Reply::Detail(Box::new(store.case_detail(id)?)),
        Request::FindOrder(text) => Reply::Order(Box::new(find_order(store, &text)?)),
        Request::Open(new) => Reply::Done(Done::Opened(store.open_case(&new, operator)?)),
        Request::AwaitReturn {
            id,
            return_tracking,
        } => {
            store.await_return(id, &return_tracking, operator)?;
            Reply::Done(Done::Waiting(id))
        }
        Request::Scan(text) => Reply::Scanned(scan(store, &text)?),
        Request::Receive {
            id,
            lines,
            tracking,
        } => {
            store.receive_return(id, &lines, &tracking, operator)?;
            Reply::Done(Done::Received(id))
        }
        Request::UnknownParcel {
            tracking,
            courier,
            contents,
        } => Reply::Done(Done::UnknownRecorded(
            store.record_unknown_parcel(&tracking, &courier, &contents, operator)?,
        )),
        Request::AssignParcel {
            parcel,
            case,
            lines,
        } => {
            store.assign_parcel(parcel, case, &lines, operator)?;
            Reply::Done(Done::ParcelAssigned { parcel, case })
        }
        Request::Refund { id, cents, note } => {
            store.refund_case(id, cents, &note, operator)?;
            Reply::Done(Done::Refunded { id, cents })
        }
        Request::Exchange { id, lines } => Reply::Done(Done::SentAgain {
            id,
            order_no: store.exchange_case(id, &lines, operator)?,
        }),
        Request::Reship { id, lines } => Reply::Done(Done::SentAgain {
            id,
            order_no: store.reship_case(id, &lines, operator)?,
        }),
        Request::Close {
            id,
            clear_flag,
            without_goods,
        } => Reply::Done(Done::Closed {
            id,
            flag_cleared: if without_goods {
                store.close_case_without_goods(id, clear_flag, operator)?
            } else {
                store.close_case(id, clear_flag, operator)?
            }
            .is_some(),
        }),
        Request::Reject {
            id,
            reason,
            clear_flag,
        } => {
            store.reject_case(id, &reason, clear_flag, operator)?;
            Reply::Done(Done::Rejected(id))
        }
        Request::Edit { id, edit } => {
            store.update_case(id, &edit, operator)?;
            Reply::Done(Done::Edited(id))
        }
        Request::SaveReason(reason) => {
            store.save_case_reason(&reason, operator)?;
            Reply::Done(Done::ReasonSaved(reason.code))
        }
        Request::Damaged => Reply::Damaged(store.damaged_stock()?),
        Request::Decide {
            code,
            quantity,
            decision,
            note,
        } => {
            store.decide_damaged(&code, quantity, decision, &note, operator)?;
            Reply::Done(Done::Decided { code, quantity })
        }
        Request::Queues => Reply::Queues {
            unpaid: store.unpaid_queue(QUEUE_LIMIT)?,
            problems: store.problem_queue(QUEUE_LIMIT)?,
        },
        Request::FollowUp { order_id, note } => {
            store.follow_up(order_id, &note, operator)?;
            Reply::Done(Done::FollowedUp(order_id))
        }
        Request::ImportRefunds {
            file,
            mapping,
            skip_invalid,
        } => Reply::Imported(import_refunds(
            store,
            &file,
            mapping.as_ref(),
            skip_invalid,
            operator,
        )?),
    })
}

/// The day's after-sales figures as of `now`: the window's and `case figures`'.
pub fn day_figures(store: &Store, now: &str) -> Result<crate::store::CaseFigures> {
    let today = now.get(..10).unwrap_or_default();
    Ok(store.case_figures(today, now)?)
}

/// The list, the day's figures, the reasons and the unknown parcels.
pub fn overview(store: &Store, filter: &CaseFilter) -> Result<Overview> {
    let now = now_text();
    Ok(Overview {
        page: store.cases(filter, &now)?,
        figures: day_figures(store, &now)?,
        reasons: store.case_reasons()?,
        unknown: store.unknown_parcels()?,
        now,
    })
}

/// The order a case is opened on, by its number, a merged order's number or its tracking
/// number.
pub fn find_order(store: &Store, text: &str) -> Result<OrderDetail> {
    let text = text.trim();
    let id = store.order_by_number_or_tracking(text)?.ok_or_else(|| {
        StoreError::NotFound(format!("no order with number or tracking number {text}"))
    })?;
    Ok(store.order_detail(id)?)
}

/// What a scanned return parcel belongs to.
pub fn scan(store: &Store, text: &str) -> Result<Scanned> {
    Ok(match store.match_parcel(text)? {
        ParcelMatch::Case(id) => Scanned::Case(Box::new(store.case_detail(id)?)),
        ParcelMatch::Several(ids) => Scanned::Several(ids),
        ParcelMatch::OrderWithoutCase { order_no, .. } => Scanned::OrderWithoutCase { order_no },
        ParcelMatch::Unknown => Scanned::Unknown {
            scanned: text.trim().to_owned(),
        },
    })
}

/// Reads `CODE=QTY` lines as typed on the command line.
pub fn parse_lines(typed: &[String]) -> Result<Vec<CaseLineSpec>> {
    typed
        .iter()
        .map(|t| parse_case_line(t).map_err(|e| AppError::Input(InputError::Line(e))))
        .collect()
}

/// Reads an amount in yuan as typed (`12.50`) into cents.
pub fn parse_amount(typed: &str) -> Result<i64> {
    parse_cents(typed).filter(|c| *c > 0).ok_or_else(|| {
        AppError::Input(InputError::Line(format!(
            "{typed:?}: expected an amount in yuan above 0 with at most two decimals, e.g. 12.50"
        )))
    })
}

/// Reads a case type as typed (`refund`, `return`, `exchange`, `reship`, `complaint`).
pub fn parse_type(typed: &str) -> Result<CaseType> {
    CaseType::from_code(typed).ok_or_else(|| {
        AppError::Input(InputError::Line(format!(
            "{typed:?}: expected a case type: refund, return, exchange, reship or complaint"
        )))
    })
}

/// Reads the refund export and writes its cases in one transaction. With rejected rows (a
/// bad cell, a refund number twice, a refund above what may still be refunded, an order
/// not in the database) and not `skip_invalid`, nothing is written.
pub fn import_refunds(
    store: &mut Store,
    file: &Path,
    mapping: Option<&MappingSource>,
    skip_invalid: bool,
    operator: &str,
) -> Result<RefundsImported> {
    let mapping = match mapping {
        None => None,
        Some(MappingSource::Profile(name)) => {
            let json = store.import_profile(name)?;
            Some(serde_json::from_str::<RefundMapping>(&json).map_err(|e| {
                AppError::Input(InputError::BadProfile {
                    name: name.clone(),
                    error: format!("not a refund export's mapping: {e}"),
                })
            })?)
        }
        Some(MappingSource::File(path)) => {
            let text = std::fs::read_to_string(path).map_err(|source| AppError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            Some(serde_json::from_str::<RefundMapping>(&text).map_err(|e| {
                AppError::Input(InputError::BadMappingFile {
                    file: path.display().to_string(),
                    error: e.to_string(),
                })
            })?)
        }
    };
    let read = read_refunds(file, mapping.as_ref())?;
    let outcome = if !read.rejected.is_empty() && !skip_invalid {
        // Nothing is written; the good rows are still checked, so that every bad row of
        // the file is said in one run.
        store.check_refunds(&read.refunds, operator)?
    } else {
        store.import_refunds(&read.refunds, skip_invalid, operator)?
    };
    // A refund above what may still be refunded is a bad amount cell of its row.
    let mut rejected = read.rejected;
    rejected.extend(outcome.refused.iter().map(|(line, why)| RowError {
        file: file.to_path_buf(),
        sheet: None,
        line: *line,
        column: read.amount_column.clone(),
        message: why.clone(),
    }));
    rejected.extend(
        outcome
            .unknown_orders
            .iter()
            .map(|(line, order_no)| RowError {
                file: file.to_path_buf(),
                sheet: None,
                line: *line,
                column: read.order_column.clone(),
                message: format!("no such order {order_no}: import its orders first"),
            }),
    );
    rejected.sort_by_key(|r| r.line);
    let written = outcome.written;
    Ok(RefundsImported {
        outcome,
        rejected,
        written,
    })
}

impl Request {
    /// What the request needs the operator to be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<crate::domain::operators::Action> {
        use crate::domain::operators::Action;
        match self {
            Request::Refund { .. } | Request::ImportRefunds { .. } => Some(Action::Refunds),
            // Repairing or writing off damaged goods moves stock.
            Request::Decide { .. } => Some(Action::StockAdjust),
            Request::Open(_)
            | Request::AwaitReturn { .. }
            | Request::Receive { .. }
            | Request::UnknownParcel { .. }
            | Request::AssignParcel { .. }
            | Request::Exchange { .. }
            | Request::Reship { .. }
            | Request::Close { .. }
            | Request::Reject { .. }
            | Request::Edit { .. }
            | Request::SaveReason(_)
            | Request::FollowUp { .. } => Some(Action::AfterSales),
            Request::Overview(_)
            | Request::Page(_)
            | Request::Detail(_)
            | Request::FindOrder(_)
            | Request::Scan(_)
            | Request::Damaged
            | Request::Queues => None,
        }
    }
}
