//! The window's link to the database: a named thread that owns the [`Store`] and hands
//! each request to its feature's handler in [`crate::app`], so no frame ever waits on SQL.
//! Long jobs (the sample shop, imports, batch PDFs) run on threads of their own
//! ([`crate::app::jobs`]) with progress and cancel, and answer through the same channel.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::app::jobs::{self, Job, JobKind};
use crate::app::{self, AppError, Changed, Tick};
use crate::store::Store;

/// The router: one line per feature. Each feature's module in `crate::app` has a `Request`,
/// a `Reply` with `changed()`, and `handle(store, operator, request)`; this declares the
/// window's [`Request`] and [`Reply`] with one variant per feature and sends each request
/// to its handler.
macro_rules! features {
    ($($feature:ident => $module:ident),* $(,)?) => {
        /// What the window asks of the store.
        #[derive(Debug)]
        pub enum Request {
            $($feature(app::$module::Request),)*
        }

        /// The store's answers, and the ways a request can fail.
        #[derive(Debug)]
        pub enum Reply {
            $($feature(app::$module::Reply),)*
            /// A request or a job failed; shown once in the window.
            Failed(AppError),
            /// The database file could not be opened (sent once, unasked, at the start),
            /// with the backups that can replace it.
            OpenFailed(Box<app::backup::OpenFailure>),
            /// The answer to a request while the database is not open.
            Unavailable,
        }

        $(impl From<app::$module::Request> for Request {
            fn from(request: app::$module::Request) -> Request {
                Request::$feature(request)
            }
        })*

        $(impl From<app::$module::Reply> for Reply {
            fn from(reply: app::$module::Reply) -> Reply {
                Reply::$feature(reply)
            }
        })*

        impl Reply {
            /// The views this answer makes stale.
            pub fn changed(&self) -> Changed {
                match self {
                    $(Reply::$feature(reply) => reply.changed(),)*
                    _ => Changed::NOTHING,
                }
            }
        }

        fn handle(store: &mut Store, operator: &str, request: Request) -> Reply {
            let reply = match request {
                $(Request::$feature(r) => app::auth::check(store, operator, r.action())
                    .and_then(|()| app::$module::handle(store, operator, r))
                    .map(Reply::$feature),)*
            };
            reply.unwrap_or_else(Reply::Failed)
        }
    };
}

features! {
    Settings => settings,
    Orders => orders,
    Import => import,
    Inventory => inventory,
    Shipping => shipping,
    Pack => pack,
    Manual => manual,
    Backup => backup,
    AfterSales => after_sales,
    Operators => operators,
}

/// An answer as it arrives: to a request, or at the end of a job.
#[derive(Debug)]
pub struct Arrived {
    pub reply: Reply,
    /// The job that ended with this answer; `None` for the answer to a request.
    pub job: Option<JobKind>,
}

/// A request with the operator who makes it.
struct Asked {
    operator: String,
    request: Request,
}

/// The sending end of the window, and the thread behind it.
pub struct Backend {
    path: PathBuf,
    /// Who the window's writes are recorded as.
    operator: String,
    requests: Sender<Asked>,
    replies: Receiver<Arrived>,
    reply_sender: Sender<Arrived>,
    in_flight: usize,
    repaint: Arc<dyn Fn() + Send + Sync>,
}

impl Backend {
    /// Opens the store on its own thread. Opening errors (a file that is not ShopDesk's)
    /// come back as the first reply.
    pub fn start(path: PathBuf, repaint: Arc<dyn Fn() + Send + Sync>) -> std::io::Result<Backend> {
        let (requests, request_rx) = channel::<Asked>();
        let (reply_sender, replies) = channel::<Arrived>();
        let tx = reply_sender.clone();
        let thread_path = path.clone();
        let thread_repaint = Arc::clone(&repaint);
        std::thread::Builder::new()
            .name("shopdesk-store".to_owned())
            .spawn(move || serve(thread_path, request_rx, tx, thread_repaint))?;
        Ok(Backend {
            path,
            operator: String::new(),
            requests,
            replies,
            reply_sender,
            in_flight: 0,
            repaint,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The callback that wakes the window when an answer arrives.
    pub fn repaint_handle(&self) -> Arc<dyn Fn() + Send + Sync> {
        Arc::clone(&self.repaint)
    }

    /// Records the window's writes as this operator from now on.
    pub fn set_operator(&mut self, operator: &str) {
        operator.clone_into(&mut self.operator);
    }

    /// Sends a request; its answer arrives through [`Backend::poll`].
    pub fn send(&mut self, request: impl Into<Request>) {
        let asked = Asked {
            operator: self.operator.clone(),
            request: request.into(),
        };
        if self.requests.send(asked).is_ok() {
            self.in_flight += 1;
        } else {
            let failure = app::backup::OpenFailure {
                db: self.path.clone(),
                error: Arc::new(crate::store::StoreError::Invalid(
                    "the database thread has stopped".to_owned(),
                )),
                language: None,
                recovery: None,
            };
            let _ = self.reply_sender.send(Arrived {
                reply: Reply::OpenFailed(Box::new(failure)),
                job: None,
            });
        }
    }

    /// The answers that have arrived, without waiting.
    pub fn poll(&mut self) -> Vec<Arrived> {
        let arrived: Vec<Arrived> = self.replies.try_iter().collect();
        self.count_answers(&arrived);
        arrived
    }

    /// Waits for every request sent so far to be answered (tests and benchmarks).
    pub fn wait(&mut self) -> Vec<Arrived> {
        let mut out = Vec::new();
        while self.in_flight > 0 {
            let Ok(arrived) = self.replies.recv() else {
                break;
            };
            self.count_answers(std::slice::from_ref(&arrived));
            out.push(arrived);
        }
        out.extend(self.poll());
        out
    }

    fn count_answers(&mut self, arrived: &[Arrived]) {
        let answers = arrived
            .iter()
            .filter(|a| a.job.is_none() && !matches!(a.reply, Reply::OpenFailed(_)))
            .count();
        self.in_flight = self.in_flight.saturating_sub(answers);
    }

    /// Starts a job a tab asked for.
    pub fn run_job(&mut self, start: JobStart) -> std::io::Result<Job> {
        let JobStart { kind, total, body } = start;
        self.start_job(kind, total, body)
    }

    /// Runs `body` on a job thread over a store of its own; its answer (or failure) arrives
    /// through [`Backend::poll`] marked with the job's kind.
    pub fn start_job<R: Into<Reply> + Send + 'static>(
        &mut self,
        kind: JobKind,
        total: u64,
        body: impl FnOnce(&mut Store, &str, Tick<'_>) -> app::Result<R> + Send + 'static,
    ) -> std::io::Result<Job> {
        let path = self.path.clone();
        let operator = self.operator.clone();
        let tx = self.reply_sender.clone();
        jobs::spawn(
            kind,
            total,
            Arc::clone(&self.repaint),
            move |tick| {
                let mut store = Store::open(&path)?;
                app::auth::check(&store, &operator, kind.action())?;
                body(&mut store, &operator, tick)
            },
            move |result: app::Result<R>| {
                let reply = result.map_or_else(Reply::Failed, Into::into);
                let _ = tx.send(Arrived {
                    reply,
                    job: Some(kind),
                });
            },
        )
    }
}

fn serve(
    path: PathBuf,
    requests: Receiver<Asked>,
    replies: Sender<Arrived>,
    repaint: Arc<dyn Fn() + Send + Sync>,
) {
    let mut store = match Store::open(&path) {
        Ok(store) => Some(store),
        Err(e) => {
            let failure = app::backup::open_failure(&path, e);
            let _ = replies.send(Arrived {
                reply: Reply::OpenFailed(Box::new(failure)),
                job: None,
            });
            repaint();
            None
        }
    };
    for asked in requests {
        let reply = match store.as_mut() {
            Some(store) => handle(store, &asked.operator, asked.request),
            None => unopened(&path, &asked.operator, asked.request),
        };
        if replies.send(Arrived { reply, job: None }).is_err() {
            return;
        }
        repaint();
    }
}

/// The answer to a request while the file is not open: only a restore of a backup over
/// it (the way out the window offers) is done. A file that cannot be opened has no
/// operators to ask, as with `shopdesk restore`. Everything else was answered by the
/// opening error, said once already.
fn unopened(path: &Path, operator: &str, request: Request) -> Reply {
    match request {
        Request::Backup(app::backup::Request::Restore(backup)) => {
            app::backup::restore_unopened(path, &backup, operator)
                .map_or_else(Reply::Failed, Reply::Backup)
        }
        _ => Reply::Unavailable,
    }
}

/// A long action for a job thread: its kind, how much work it has, and its body, run over
/// a store of its own with the window's operator.
pub struct JobStart {
    kind: JobKind,
    total: u64,
    body: JobBody,
}

/// A job's work: over its own store, as the window's operator, reporting progress.
type JobBody = Box<dyn FnOnce(&mut Store, &str, Tick<'_>) -> app::Result<Reply> + Send>;

impl JobStart {
    pub fn new<R: Into<Reply>>(
        kind: JobKind,
        total: u64,
        body: impl FnOnce(&mut Store, &str, Tick<'_>) -> app::Result<R> + Send + 'static,
    ) -> JobStart {
        JobStart {
            kind,
            total,
            body: Box::new(move |store, operator, tick| {
                body(store, operator, tick).map(Into::into)
            }),
        }
    }
}

impl std::fmt::Debug for JobStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobStart")
            .field("kind", &self.kind)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}
