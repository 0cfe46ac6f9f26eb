//! The command line: `shopdesk [--db PATH] [COMMAND]`. With no command the window opens.
//! Subcommand names, flags and JSON field names are a contract that scripts rely on.

mod after_sales;
mod backup;
mod import;
mod inventory;
mod json;
mod manual;
mod pack;
mod processing;
mod shipping;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use crate::app::auth::AuthError;
use crate::app::{self, AppError};
use crate::domain::operators::{Action, Role};
use crate::domain::{Flag, OrderState};
use crate::store::{DateKind, OrderQuery, OrderSort, Store};

/// The back office of one online shop: orders, stock, pick lists and waybills.
#[derive(Debug, Parser)]
#[command(name = "shopdesk", version, about, long_about = None)]
pub struct Cli {
    /// The shop's database file (created on first use).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Act as this operator (the PIN from SHOPDESK_PIN, or asked). Needed once the
    /// database has operators; without them commands act as the owner.
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty database with a realistic sample shop.
    Demo {
        /// How many orders to generate, spread over the last 60 days.
        #[arg(long, default_value_t = 2000)]
        orders: u64,
        /// Seed of the generator: the same seed gives the same shop.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// List orders, newest first.
    Orders {
        /// Only orders in this state: pending_review, approved, printed, shipped, archived,
        /// cancelled.
        #[arg(long, value_name = "S")]
        status: Option<String>,
        /// Find by name, phone, buyer id, order or tracking number, SKU or product name.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// At most this many orders.
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
        /// Only orders with this flag colour: red, yellow, green, blue, purple, none.
        #[arg(long, value_name = "COLOUR")]
        flag: Option<String>,
        /// Only orders of this platform (taobao, tmall, jd, pinduoduo, shopify, manual…).
        #[arg(long, value_name = "P")]
        platform: Option<String>,
        /// Date range start (inclusive), e.g. 2026-11-01, on the date of --date-kind.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Date range end (exclusive), e.g. 2026-12-01.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Which date --from/--to filter: ordered, paid, reviewed, printed, inspected,
        /// shipped, refunded, archived.
        #[arg(long, value_name = "KIND", default_value = "ordered")]
        date_kind: String,
        /// Print one JSON array with every field and line.
        #[arg(long)]
        json: bool,
    },
    /// Stock figures per product: on hand, theoretical, sellable, in transit.
    Stock {
        /// Print one JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Check the database: SQLite integrity, the stock ledger against the balances, and
    /// the schema version. Exits non-zero when anything is wrong.
    Check,
    /// Import orders from the marketplace's CSV exports (the emergency capture).
    #[command(subcommand)]
    Import(import::ImportCommand),
    #[command(flatten)]
    Processing(processing::ProcessingCommand),
    #[command(flatten)]
    Shipping(shipping::ShippingCommand),
    #[command(flatten)]
    Pack(pack::PackCommand),
    #[command(flatten)]
    Manual(manual::ManualCommand),
    /// After-sales cases (售后): refunds, returns, exchanges, reshipments, complaints.
    #[command(subcommand)]
    Case(after_sales::CaseCommand),
    /// List the SKUs of open order lines that match no product.
    Unmatched,
    // Inventory: products import/export, receive, adjust, purchases, ledger, count.
    #[command(flatten)]
    Inventory(inventory::InventoryCommand),
    /// Write a verified copy of the database and print its path.
    Backup {
        /// The folder for the copy (default: the backup folder of Settings, `backups`
        /// next to the database unless chosen).
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
    /// Replace the database with a backup, after checking it; the current file is backed
    /// up first. Exits non-zero when the backup is refused.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Read a receiver address as a buyer sends it in chat (智能地址识别).
    #[command(subcommand)]
    Address(AddressCommand),
    /// Operators and what their roles may do: add, list, set-role, disable, allow, deny.
    #[command(subcommand)]
    Operators(OperatorsCommand),
    /// The audit trail, oldest first: who did what, when, and what it changed.
    Audit {
        /// From this date (2026-11-30) or moment on.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only what this operator did. (Sign in with `shopdesk --operator NAME audit`,
        /// the global flag before the command.)
        #[arg(long, value_name = "NAME")]
        operator: Option<String>,
        /// Only this order's history.
        #[arg(long, value_name = "ORDER_NO")]
        order: Option<String>,
        /// Print one JSON array (fields at, operator, action, target, before, after).
        #[arg(long)]
        json: bool,
    },
    /// Match every unmatched order line with this SKU to a product.
    Match {
        /// The platform SKU (商家编码) on the lines.
        sku: String,
        /// The product code to match them to.
        code: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OperatorsCommand {
    /// Add an operator with a role: owner, service, packer or stock. The new operator's
    /// PIN comes from SHOPDESK_NEW_PIN or is asked. The first operator of a database must
    /// be an owner and needs no sign-in.
    Add {
        name: String,
        #[arg(long, value_name = "ROLE")]
        role: String,
    },
    /// List the operators.
    List {
        /// Print one JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Give an operator another role.
    SetRole { name: String, role: String },
    /// Disable an operator: they can no longer sign in.
    Disable { name: String },
    /// Let a disabled operator sign in again.
    Enable { name: String },
    /// Set an operator's PIN (one's own, or anyone's as an owner) from SHOPDESK_NEW_PIN or
    /// asked.
    SetPin { name: String },
    /// Let a role do an action (see `operators list` for the table).
    Allow { role: String, action: String },
    /// Take an action away from a role.
    Deny { role: String, action: String },
}

#[derive(Debug, Subcommand)]
pub enum AddressCommand {
    /// Split a pasted text into name, phone, province, city, district, street address and
    /// postcode, checked against the table of China's administrative divisions.
    Parse {
        text: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(serde::Serialize)]
struct AddressJson<'a> {
    name: &'a str,
    phone: &'a str,
    province: &'a str,
    city: &'a str,
    district: &'a str,
    address: &'a str,
    postcode: &'a str,
    unsure: Vec<&'static str>,
}

fn field_code(field: crate::domain::address::Field) -> &'static str {
    use crate::domain::address::Field;
    match field {
        Field::Name => "name",
        Field::Phone => "phone",
        Field::Province => "province",
        Field::City => "city",
        Field::District => "district",
        Field::Address => "address",
        Field::Postcode => "postcode",
    }
}

/// Runs the program; every error is printed once, here.
pub fn main() -> ExitCode {
    let mut cli = Cli::parse();
    let args: Vec<String> = std::env::args().collect();
    cli.audit_filter_from(&args);
    match run(cli) {
        Ok(code) => code,
        // The reader stopped reading (`shopdesk orders | head`): what it read was written,
        // the rest is not wanted. Nothing to say.
        Err(err)
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("shopdesk: error: {}", app::said_once(err.chain()));
            ExitCode::FAILURE
        }
    }
}

impl Cli {
    /// `audit --operator NAME` filters by operator, and the global `--operator NAME`
    /// (before `audit`) signs in. Clap hands the global value down to the command's flag
    /// of the same name, so the filter holds only what was written after `audit`.
    pub fn audit_filter_from(&mut self, args: &[String]) {
        /// The value of the last `--operator` among `args`.
        fn operator_in(args: &[String]) -> Option<String> {
            let mut found = None;
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if a == "--operator" {
                    found = it.next().cloned();
                } else if let Some(value) = a.strip_prefix("--operator=") {
                    found = Some(value.to_owned());
                }
            }
            found
        }
        if let Some(Command::Audit { operator, .. }) = &mut self.command {
            let at = args
                .iter()
                .skip(1)
                .position(|a| a == "audit")
                .map_or(args.len(), |i| i + 1);
            self.operator = operator_in(&args[..at]);
            *operator = operator_in(args.get(at + 1..).unwrap_or_default());
        }
    }
}

/// Signs the command's operator in and checks they may do `action`; returns the name the
/// writes are recorded under. On a database without operators: the name given with
/// --operator, else the one in Settings, acting as the owner.
fn sign_in(store: &Store, name: Option<&str>, action: Option<Action>) -> Result<String> {
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    if !store.has_operators()? {
        return Ok(match name {
            Some(name) => name.to_owned(),
            None => store.settings()?.operator,
        });
    }
    let Some(name) = name else {
        return Err(error(AuthError::SignInNeeded.into()));
    };
    let pin = secret("SHOPDESK_PIN", &format!("PIN for {name}: "))?;
    let session = match app::auth::sign_in(store, name, &pin) {
        Ok(session) => session,
        Err(e) => {
            // A wrong PIN costs a second, so trying every PIN from a script takes hours;
            // nothing is written for it (a refusal leaves the file as it was).
            if matches!(
                e,
                AppError::Auth(AuthError::WrongPin(_) | AuthError::Unknown(_))
            ) {
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
            return Err(error(e));
        }
    };
    app::auth::check(store, &session.name, action).map_err(error)?;
    Ok(session.name)
}

/// A PIN from the environment variable, or asked at the terminal without echo.
fn secret(var: &str, prompt: &str) -> Result<String> {
    use std::io::IsTerminal;
    if let Ok(pin) = std::env::var(var) {
        return Ok(pin);
    }
    if !std::io::stdin().is_terminal() {
        bail!("no PIN: set {var} (or run the command at a terminal to be asked)");
    }
    rpassword::prompt_password(prompt).with_context(|| format!("cannot read the PIN ({var})"))
}

fn parse_role(text: &str) -> Result<Role> {
    Role::from_code(text).with_context(|| {
        format!(
            "role {text}: expected one of {}",
            Role::ALL.map(Role::code).join(", ")
        )
    })
}

fn parse_action(text: &str) -> Result<Action> {
    Action::from_code(text).with_context(|| {
        format!(
            "action {text}: expected one of {}",
            Action::ALL.map(Action::code).join(", ")
        )
    })
}

fn permit(
    store: &mut Store,
    cli_operator: Option<&str>,
    role: &str,
    action: &str,
    allowed: bool,
    out: &mut impl Write,
) -> Result<()> {
    let (role, action) = (parse_role(role)?, parse_action(action)?);
    let operator = sign_in(store, cli_operator, Some(Action::Operators))?;
    store.set_permission(role, action, allowed, &operator)?;
    let word = if allowed { "may" } else { "may not" };
    writeln!(out, "{} {word} {}", role.label(), action.label())?;
    Ok(())
}

fn run_operators(
    store: &mut Store,
    cli_operator: Option<&str>,
    command: OperatorsCommand,
    out: &mut impl Write,
) -> Result<()> {
    match command {
        OperatorsCommand::Add { name, role } => {
            let role = parse_role(&role)?;
            let first = !store.has_operators()?;
            let operator = if first {
                String::new()
            } else {
                sign_in(store, cli_operator, Some(Action::Operators))?
            };
            let pin = secret(
                "SHOPDESK_NEW_PIN",
                &format!("PIN for the new operator {name}: "),
            )?;
            let row =
                app::auth::add_operator(store, &operator, &name, role, &pin).map_err(error)?;
            writeln!(out, "added {} ({})", row.name, row.role.code())?;
        }
        OperatorsCommand::List { json } => {
            sign_in(store, cli_operator, Some(Action::Operators))?;
            let rows = store.operators()?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
            } else {
                for row in &rows {
                    writeln!(
                        out,
                        "{:<20} {:<8} {}",
                        row.name,
                        row.role.code(),
                        if row.active { "active" } else { "disabled" }
                    )?;
                }
                let permissions = store.permissions()?;
                writeln!(out)?;
                writeln!(out, "{:<16} owner service packer stock", "action")?;
                for action in Action::ALL {
                    let cell = |role| {
                        if permissions.allows(role, action) {
                            "yes"
                        } else {
                            "-"
                        }
                    };
                    writeln!(
                        out,
                        "{:<16} {:<5} {:<7} {:<6} {}",
                        action.code(),
                        cell(Role::Owner),
                        cell(Role::Service),
                        cell(Role::Packer),
                        cell(Role::Stock)
                    )?;
                }
            }
        }
        OperatorsCommand::SetRole { name, role } => {
            let role = parse_role(&role)?;
            let operator = sign_in(store, cli_operator, Some(Action::Operators))?;
            store.set_operator_role(&name, role, &operator)?;
            writeln!(out, "{} is now {}", name.trim(), role.code())?;
        }
        OperatorsCommand::Disable { name } => {
            let operator = sign_in(store, cli_operator, Some(Action::Operators))?;
            store.disable_operator(&name, &operator)?;
            writeln!(out, "{} is disabled", name.trim())?;
        }
        OperatorsCommand::Enable { name } => {
            let operator = sign_in(store, cli_operator, Some(Action::Operators))?;
            store.enable_operator(&name, &operator)?;
            writeln!(out, "{} may sign in again", name.trim())?;
        }
        OperatorsCommand::SetPin { name } => {
            let operator = sign_in(store, cli_operator, None)?;
            let pin = secret(
                "SHOPDESK_NEW_PIN",
                &format!("new PIN for {}: ", name.trim()),
            )?;
            app::auth::set_pin(store, &operator, &name, &pin).map_err(error)?;
            writeln!(out, "{} has a new PIN", name.trim())?;
        }
        OperatorsCommand::Allow { role, action } => {
            permit(store, cli_operator, &role, &action, true, out)?;
        }
        OperatorsCommand::Deny { role, action } => {
            permit(store, cli_operator, &role, &action, false, out)?;
        }
    }
    Ok(())
}

/// An application error as the command line says it. A file that cannot be read or written
/// is the path, then the system's reason once (the error's message already holds the
/// reason, so its source would say it a second time).
/// A rejected row as the command line says it: the advice to choose another encoding
/// names `--encoding` where the window's words name its preview.
fn row_text(row: &crate::import::RowError) -> String {
    let text = row.to_string();
    match text.strip_suffix(crate::import::CHOOSE_ENCODING) {
        Some(start) => {
            format!("{start}import it again with --encoding (gb18030, big5, shift-jis or utf-8)")
        }
        None => text,
    }
}

fn error(e: AppError) -> anyhow::Error {
    match e {
        AppError::Read { path, source } => {
            anyhow::Error::new(source).context(format!("cannot read {}", path.display()))
        }
        AppError::Write { path, source } => {
            anyhow::Error::new(source).context(format!("cannot write {}", path.display()))
        }
        other => other.into(),
    }
}

fn open(db: &Option<PathBuf>) -> Result<Store> {
    let path = db.clone().unwrap_or_else(crate::default_db_path);
    Store::open(&path).with_context(|| format!("cannot open {}", path.display()))
}

/// No command: the window on the shop's file.
#[cfg(feature = "gui")]
fn window(db: Option<PathBuf>) -> Result<ExitCode> {
    let path = db.unwrap_or_else(crate::default_db_path);
    crate::ui::run_window(path)?;
    Ok(ExitCode::SUCCESS)
}

/// No command, in a build without the window (`--no-default-features`): say so.
#[cfg(not(feature = "gui"))]
fn window(_db: Option<PathBuf>) -> Result<ExitCode> {
    anyhow::bail!(
        "this shopdesk was built without the window (the `gui` feature); run a subcommand (see --help)"
    )
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let Some(command) = cli.command else {
        return window(cli.db);
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let who = cli.operator.as_deref();
    match command {
        Command::Operators(command) => {
            let mut store = open(&cli.db)?;
            run_operators(&mut store, who, command, &mut out)?;
        }
        Command::Audit {
            since,
            operator,
            order,
            json,
        } => {
            let store = open(&cli.db)?;
            sign_in(&store, who, Some(Action::Audit))?;
            let query = crate::store::AuditQuery {
                since: app::moment(since.as_deref()).map_err(AppError::from)?,
                operator,
                order_no: order,
                ..crate::store::AuditQuery::default()
            };
            if json {
                let entries = store.audit(&query)?;
                serde_json::to_writer_pretty(&mut out, &entries)?;
                writeln!(out)?;
            } else {
                // A reader that stops early (`audit | head`) ends the listing quietly.
                let mut stopped = false;
                store.for_each_audit_entry(&query, |e| {
                    if stopped {
                        return Ok(());
                    }
                    let change = if e.before.is_empty() {
                        e.after
                    } else {
                        format!("{} → {}", e.before, e.after)
                    };
                    match writeln!(
                        out,
                        "{}  {:<12} {:<20} {:<22} {}",
                        e.at, e.operator, e.action, e.target, change
                    ) {
                        Err(io) if io.kind() == std::io::ErrorKind::BrokenPipe => {
                            stopped = true;
                            Ok(())
                        }
                        other => other,
                    }
                })?;
                if stopped {
                    return Ok(ExitCode::SUCCESS);
                }
            }
        }
        Command::Demo { orders, seed } => {
            let mut store = open(&cli.db)?;
            sign_in(&store, who, Some(Action::Settings))?;
            let started = std::time::Instant::now();
            let last = std::cell::Cell::new(0u64);
            let progress = |n: u64| {
                if n >= last.get() + 100_000 {
                    eprintln!("  {n} orders…");
                    last.set(n);
                }
                true
            };
            let summary = app::settings::load_sample_shop(&mut store, orders, seed, &progress)?;
            writeln!(
                out,
                "demo shop written to {}: {} products, {} orders ({} merged), {} stock movements, \
                 {} purchases in {:.1} s",
                store.path().display(),
                summary.products,
                summary.orders,
                summary.merged,
                summary.movements,
                summary.purchases,
                started.elapsed().as_secs_f64()
            )?;
        }
        Command::Orders {
            status,
            search,
            limit,
            json,
            flag,
            platform,
            from,
            to,
            date_kind,
        } => {
            let flag = match flag.as_deref() {
                None => None,
                Some(code) => Some(Flag::from_code(code).with_context(|| {
                    format!(
                        "--flag {code}: expected one of {}",
                        Flag::ALL.map(Flag::code).join(", ")
                    )
                })?),
            };
            let date_kind = DateKind::from_code(&date_kind).with_context(|| {
                format!(
                    "--date-kind {date_kind}: expected one of {}",
                    DateKind::ALL.map(DateKind::code).join(", ")
                )
            })?;
            let state = match status.as_deref() {
                None => None,
                Some(code) => Some(OrderState::from_code(code).with_context(|| {
                    format!(
                        "--status {code}: expected one of {}",
                        OrderState::ALL.map(OrderState::code).join(", ")
                    )
                })?),
            };
            let store = open(&cli.db)?;
            let operator = sign_in(&store, who, None)?;
            app::auth::check_any(&store, &operator, &app::auth::READ_ORDERS).map_err(error)?;
            let query = OrderQuery {
                state,
                search: search.unwrap_or_default(),
                flag,
                platform,
                date_kind,
                date_from: from,
                date_to: to,
                sort: OrderSort::NewestFirst,
                limit: limit.unwrap_or(0),
                ..OrderQuery::default()
            };
            if json {
                json::write_orders(&store, &query, &mut out)?;
            } else {
                for row in store.query_orders(&query)? {
                    writeln!(
                        out,
                        "{:<10} {:<22} {:<15} {:<15} {:>10} {:<8} {:<6} {}{}",
                        row.platform,
                        row.order_no,
                        row.state.code(),
                        row.payment.code(),
                        crate::domain::format_cents(row.total_cents),
                        row.receiver_name,
                        row.flag.code(),
                        row.city,
                        if row.tracking_no.is_empty() {
                            String::new()
                        } else {
                            format!(" {} {}", row.courier, row.tracking_no)
                        }
                    )?;
                }
            }
        }
        Command::Stock { json } => {
            let store = open(&cli.db)?;
            sign_in(&store, who, None)?;
            let rows = store.stock_report()?;
            if json {
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{:<16} {:>8} {:>11} {:>8} {:>10} {:>7}  {:<8} name",
                    "code", "on hand", "theoretical", "sellable", "in transit", "damaged", "bin"
                )?;
                for r in rows {
                    writeln!(
                        out,
                        "{:<16} {:>8} {:>11} {:>8} {:>10} {:>7}  {:<8} {}",
                        r.code,
                        r.on_hand,
                        r.theoretical,
                        r.sellable,
                        r.in_transit,
                        r.damaged,
                        r.bin,
                        r.name
                    )?;
                }
            }
        }
        Command::Import(command) => {
            let path = cli.db.clone().unwrap_or_else(crate::default_db_path);
            // A preview against a file that does not exist yet creates none: every order is
            // new, as in an empty file.
            let mut store = if command.dry_run() && !path.exists() {
                Store::open_in_memory()?
            } else {
                open(&cli.db)?
            };
            let operator = sign_in(&store, who, command.action())?;
            import::run(&mut store, &operator, command, &mut out)?;
        }
        Command::Processing(command) => {
            let mut store = open(&cli.db)?;
            let operator = sign_in(&store, who, command.action())?;
            let code = processing::run(&mut store, &operator, command, &mut out)?;
            out.flush()?;
            return Ok(code);
        }
        Command::Inventory(command) => {
            let mut store = open(&cli.db)?;
            let operator = sign_in(&store, who, command.action())?;
            inventory::run(&mut store, &operator, command, &mut out)?;
        }
        Command::Shipping(command) => {
            let mut store = open(&cli.db)?;
            let operator = sign_in(&store, who, command.action())?;
            shipping::run(&mut store, &operator, command, &mut out)?;
        }
        Command::Pack(command) => {
            let mut store = open(&cli.db)?;
            let operator = sign_in(&store, who, command.action())?;
            let code = pack::run(&mut store, &operator, command, &mut out)?;
            out.flush()?;
            return Ok(code);
        }
        Command::Manual(command) => {
            let mut store = open(&cli.db)?;
            let operator = sign_in(&store, who, command.action())?;
            manual::run(&mut store, &operator, command, &mut out)?;
        }
        Command::Case(command) => {
            let mut store = open(&cli.db)?;
            let operator = sign_in(&store, who, command.action())?;
            after_sales::run(&mut store, &operator, command, &mut out)?;
        }
        Command::Unmatched => {
            let store = open(&cli.db)?;
            sign_in(&store, who, None)?;
            for u in store.unmatched_skus()? {
                writeln!(out, "{}\t{}\t{} lines", u.sku, u.title, u.lines)?;
            }
        }
        Command::Backup { to } => {
            let db = cli.db.clone().unwrap_or_else(crate::default_db_path);
            let operator = match Store::open(&db) {
                Ok(store) => sign_in(&store, who, Some(Action::Backup))?,
                Err(_) => who.map_or_else(|| "owner".to_owned(), str::to_owned),
            };
            backup::run_backup(&db, to, &operator, &mut out)?;
        }
        Command::Restore { file } => {
            let db = cli.db.clone().unwrap_or_else(crate::default_db_path);
            // A file that cannot be opened (damaged) has no operators to ask: restoring
            // it is the way out.
            let operator = match Store::open(&db) {
                Ok(store) => sign_in(&store, who, Some(Action::Restore))?,
                Err(_) => who.map_or_else(|| "owner".to_owned(), str::to_owned),
            };
            backup::run_restore(&db, &file, &operator, &mut out)?;
        }
        Command::Address(AddressCommand::Parse { text, json }) => {
            let a = crate::domain::address::parse_address(&text);
            let view = AddressJson {
                name: &a.name,
                phone: &a.phone,
                province: &a.province,
                city: &a.city,
                district: &a.district,
                address: &a.address,
                postcode: &a.postcode,
                unsure: a.unsure.iter().copied().map(field_code).collect(),
            };
            if json {
                serde_json::to_writer(&mut out, &view)?;
                writeln!(out)?;
            } else {
                for (label, value) in [
                    ("name", view.name),
                    ("phone", view.phone),
                    ("province", view.province),
                    ("city", view.city),
                    ("district", view.district),
                    ("address", view.address),
                    ("postcode", view.postcode),
                ] {
                    let unsure = if view.unsure.contains(&label) {
                        "  (unsure)"
                    } else {
                        ""
                    };
                    writeln!(out, "{label:<9} {value}{unsure}")?;
                }
            }
        }
        Command::Match { sku, code } => {
            let mut store = open(&cli.db)?;
            let operator = sign_in(&store, who, Some(Action::OrdersEdit))?;
            let n = store.match_sku(&sku, &code, &operator)?;
            writeln!(out, "matched {n} line(s) with SKU {sku} to {code}")?;
        }
        Command::Check => {
            let store = open(&cli.db)?;
            let problems = store.check()?;
            if problems.is_empty() {
                writeln!(
                    out,
                    "{}: ok (integrity, stock ledger, schema version {})",
                    store.path().display(),
                    store.schema_version()?
                )?;
            } else {
                for problem in &problems {
                    eprintln!("{}: {problem}", store.path().display());
                }
                out.flush()?;
                bail!("{} problem(s) found", problems.len());
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    /// The global `--operator` signs in; after `audit` it filters.
    #[test]
    fn audit_filter_and_sign_in() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            ("shopdesk --operator Boss audit", Some("Boss"), None),
            (
                "shopdesk --operator Boss audit --operator Ann",
                Some("Boss"),
                Some("Ann"),
            ),
            ("shopdesk audit --operator Ann", None, Some("Ann")),
            (
                "shopdesk --operator Boss audit --operator=Boss",
                Some("Boss"),
                Some("Boss"),
            ),
        ];
        for (line, signs_in, filter) in cases {
            let args: Vec<String> = line.split(' ').map(str::to_owned).collect();
            let mut cli = Cli::try_parse_from(&args).unwrap();
            cli.audit_filter_from(&args);
            assert_eq!(cli.operator.as_deref(), *signs_in, "{line}");
            let Some(Command::Audit { operator, .. }) = &cli.command else {
                panic!("{line}: not audit");
            };
            assert_eq!(operator.as_deref(), *filter, "{line}");
        }
    }
}
