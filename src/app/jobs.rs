//! Long actions (the sample shop, imports, batch PDFs, backups) on named threads of their own,
//! with progress and cancel, so the window never waits on them. The command line runs the same
//! bodies inline with [`keep_going`](super::keep_going).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;

/// What a job does; the window names it in the status bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    SampleShop,
    ImportPreview,
    Import,
    ProductPreview,
    ProductImport,
    Print,
    Backup,
}

impl JobKind {
    /// What the operator must be allowed to do to run the job. Backups need nothing: the
    /// daily backup runs whoever is signed in, and the button is in Settings.
    pub fn action(self) -> Option<crate::domain::operators::Action> {
        use crate::domain::operators::Action;
        match self {
            JobKind::SampleShop => Some(Action::Settings),
            JobKind::Import => Some(Action::OrdersImport),
            JobKind::ProductImport => Some(Action::Products),
            JobKind::Print => Some(Action::Printing),
            JobKind::ImportPreview | JobKind::ProductPreview | JobKind::Backup => None,
        }
    }

    /// The thread's name, seen in a debugger or `top -H`.
    pub fn thread_name(self) -> &'static str {
        match self {
            JobKind::SampleShop => "shopdesk-demo",
            JobKind::ImportPreview => "shopdesk-import-preview",
            JobKind::Import => "shopdesk-import",
            JobKind::ProductPreview => "shopdesk-product-preview",
            JobKind::ProductImport => "shopdesk-product-import",
            JobKind::Print => "shopdesk-print",
            JobKind::Backup => "shopdesk-backup",
        }
    }
}

/// A job in progress: how far it got, and a way to stop it.
pub struct Job {
    pub kind: JobKind,
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

    /// Asks the job to stop at its next progress report; it then writes nothing.
    pub fn request_cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// Runs `body` on a named thread. `body` reports progress through its tick, which answers
/// whether to go on; `deliver` receives the result on the same thread, and `notify` is
/// called after each progress report and at the end (the window repaints).
pub fn spawn<R: Send + 'static>(
    kind: JobKind,
    total: u64,
    notify: Arc<dyn Fn() + Send + Sync>,
    body: impl FnOnce(&dyn Fn(u64) -> bool) -> R + Send + 'static,
    deliver: impl FnOnce(R) + Send + 'static,
) -> std::io::Result<Job> {
    let done = Arc::new(AtomicU64::new(0));
    let cancel = Arc::new(AtomicBool::new(false));
    let (thread_done, thread_cancel) = (Arc::clone(&done), Arc::clone(&cancel));
    let thread = std::thread::Builder::new()
        .name(kind.thread_name().to_owned())
        .spawn(move || {
            let tick = |n: u64| {
                thread_done.store(n, Ordering::Relaxed);
                notify();
                !thread_cancel.load(Ordering::Relaxed)
            };
            let result = body(&tick);
            deliver(result);
            notify();
        })?;
    Ok(Job {
        kind,
        done,
        total,
        cancel,
        _thread: thread,
    })
}
