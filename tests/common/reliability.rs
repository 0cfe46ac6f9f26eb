//! The reliability scenarios: real `shopdesk` child processes killed, raced, starved of
//! disk and fed hostile files, each checked against a promise the shop relies on. Every
//! scenario returns a [`Report`] (what was tried, how many times, the failures) and is run
//! small by `cargo test --test reliability` and large by `cargo run --release --example
//! reliability` (figures in docs/reliability.md).

#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use shopdesk::store::Store;

/// What one scenario found.
#[derive(Debug)]
pub struct Report {
    pub name: &'static str,
    pub tries: u64,
    /// One line per broken promise; empty when the scenario passed.
    pub failures: Vec<String>,
    /// The measured figure, said in words.
    pub figure: String,
}

impl Report {
    pub fn line(&self) -> String {
        format!(
            "{}: {} tries, {} failures; {}",
            self.name,
            self.tries,
            self.failures.len(),
            self.figure
        )
    }

    /// Panics with every failure when the promise broke (the tests' assertion).
    pub fn assert_passed(&self) {
        assert!(
            self.failures.is_empty(),
            "{}\n{}",
            self.line(),
            self.failures.join("\n")
        );
    }
}

/// A small deterministic generator (xorshift), so that a failing run can be repeated.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// Where the scenarios run: the binary under test and a scratch folder.
pub struct Lab {
    pub bin: PathBuf,
    pub dir: PathBuf,
    pub rng: Rng,
    /// The arguments that make this very program a writer child ([`writer_child`]): the
    /// test's name for a test binary, none for the example.
    pub writer_args: Vec<String>,
}

impl Lab {
    pub fn new(bin: PathBuf, dir: &Path, seed: u64) -> Lab {
        Lab {
            bin,
            dir: dir.to_path_buf(),
            rng: Rng::new(seed),
            writer_args: Vec::new(),
        }
    }

    /// Starts this program as a writer child: `kind` of write again and again on `db`
    /// with `arg`, one line `ack …` on stdout after each commit.
    pub fn spawn_writer(&self, kind: &str, db: &Path, arg: &str) -> Child {
        Command::new(std::env::current_exe().expect("this program's path"))
            .args(&self.writer_args)
            .env(WRITER_KIND, kind)
            .env(WRITER_DB, db)
            .env(WRITER_ARG, arg)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the writer starts")
    }

    pub fn command(&self, db: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(&self.bin);
        command.arg("--db").arg(db).args(args);
        command.stdin(Stdio::null());
        command
    }

    pub fn run(&self, db: &Path, args: &[&str]) -> Output {
        self.command(db, args).output().expect("shopdesk runs")
    }

    pub fn spawn(&self, db: &Path, args: &[&str]) -> Child {
        self.command(db, args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("shopdesk starts")
    }

    /// Whether `check` passes on `db`; its output when it does not.
    pub fn check(&self, db: &Path) -> Result<(), String> {
        let out = self.run(db, &["check"]);
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "check failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// A sample shop of `orders` orders at `name` (written in-process, as `demo` does).
    pub fn sample_shop(&self, name: &str, orders: u64) -> PathBuf {
        let path = self.dir.join(name);
        let mut store = Store::open(&path).expect("create");
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T10:00:00+08:00").expect("time");
        store
            .load_demo(orders, 1, now, &mut |_| true)
            .expect("sample shop");
        path
    }
}

/// Copies a database file (without its WAL: the source is closed and checkpointed).
pub fn copy_db(from: &Path, to: &Path) {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(to, suffix));
    }
    std::fs::copy(from, to).expect("copy");
}

pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

pub fn count(db: &Path, sql: &str) -> i64 {
    let conn = Connection::open(db).expect("open");
    conn.query_row(sql, [], |row| row.get(0)).expect("count")
}

/// The first product that is not a bundle, and its on-hand quantity.
pub fn a_product(db: &Path) -> (String, i64) {
    let conn = Connection::open(db).expect("open");
    conn.query_row(
        "SELECT code, on_hand FROM products WHERE is_bundle = 0 ORDER BY id LIMIT 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .expect("a product")
}

pub fn on_hand(db: &Path, code: &str) -> i64 {
    let conn = Connection::open(db).expect("open");
    conn.query_row(
        "SELECT on_hand FROM products WHERE code = ?1",
        [code],
        |row| row.get(0),
    )
    .expect("on hand")
}

/// Kills `child` with SIGKILL after `after` (or lets it finish first); true when it was
/// killed before it ended.
pub fn kill_after(child: &mut Child, after: Duration) -> bool {
    let deadline = Instant::now() + after;
    loop {
        if child.try_wait().expect("wait").is_some() {
            return false;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Words that must never reach a user: the lock SQLite gives up on, and a crash.
pub fn unwanted(stderr: &str) -> Option<&'static str> {
    [
        "database is locked",
        "database table is locked",
        "panicked",
        "RUST_BACKTRACE",
    ]
    .into_iter()
    .find(|w| stderr.contains(w))
}

/// 1. An import killed with SIGKILL at a random moment, `tries` times: the file holds
///    either nothing of it or all of it, and `check` passes every time.
pub fn kill_during_import(lab: &mut Lab, orders: u64, tries: u64) -> Report {
    let files = lab.dir.join("kill-import");
    std::fs::create_dir_all(&files).unwrap();
    let (order_csv, item_csv) =
        shopdesk::import::generate_taobao_pair(&files, orders, 7).expect("export");
    let base = lab.sample_shop("kill-import-base.db", 50);
    let before = count(&base, "SELECT count(*) FROM orders");
    let (o, i) = (
        order_csv.display().to_string(),
        item_csv.display().to_string(),
    );
    let args = ["import", "taobao", o.as_str(), i.as_str()];
    // One import to the end: how long it takes, and what "all of it" is.
    let full = lab.dir.join("kill-import-full.db");
    copy_db(&base, &full);
    let started = Instant::now();
    let out = lab.run(&full, &args);
    let whole = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = count(&full, "SELECT count(*) FROM orders");
    let mut failures = Vec::new();
    let (mut killed, mut none, mut all) = (0, 0, 0);
    let target = lab.dir.join("kill-import.db");
    for n in 0..tries {
        copy_db(&base, &target);
        let mut child = lab.spawn(&target, &args);
        let at = Duration::from_micros(lab.rng.below(whole.as_micros() as u64 * 3 / 2 + 1));
        if kill_after(&mut child, at) {
            killed += 1;
        }
        if let Err(e) = lab.check(&target) {
            failures.push(format!("try {n} (kill at {at:?}): {e}"));
            continue;
        }
        match count(&target, "SELECT count(*) FROM orders") {
            c if c == before => none += 1,
            c if c == after => all += 1,
            c => failures.push(format!(
                "try {n} (kill at {at:?}): {c} orders, expected {before} or {after}"
            )),
        }
    }
    Report {
        name: "kill -9 during an import",
        tries,
        failures,
        figure: format!(
            "{orders}-order import ({:.2} s whole) killed {killed} times: {none} files as \
             before, {all} with the whole import, check passed on each",
            whole.as_secs_f64()
        ),
    }
}

/// 2. The sample-shop generation and stock adjustments killed at random moments: the
///    generation leaves an empty shop or the whole one; every adjustment acknowledged
///    (exit 0) is in the ledger and none is half-written (`check`).
pub fn kill_during_writes(lab: &mut Lab, demo_orders: u64, tries: u64) -> Report {
    let mut failures = Vec::new();
    // The sample shop, to the end once.
    let full = lab.dir.join("kill-demo-full.db");
    let _ = std::fs::remove_file(&full);
    let started = Instant::now();
    let orders_arg = demo_orders.to_string();
    let out = lab.run(&full, &["demo", "--orders", &orders_arg]);
    let whole = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let complete = count(&full, "SELECT count(*) FROM orders");
    let demo = lab.dir.join("kill-demo.db");
    let (mut empty, mut whole_shop) = (0, 0);
    for n in 0..tries {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(sidecar(&demo, suffix));
        }
        let mut child = lab.spawn(&demo, &["demo", "--orders", &orders_arg]);
        let at = Duration::from_micros(lab.rng.below(whole.as_micros() as u64 + 1));
        kill_after(&mut child, at);
        if !demo.exists() {
            empty += 1;
            continue;
        }
        if let Err(e) = lab.check(&demo) {
            failures.push(format!("demo try {n} (kill at {at:?}): {e}"));
            continue;
        }
        match count(&demo, "SELECT count(*) FROM orders") {
            0 => empty += 1,
            c if c == complete => whole_shop += 1,
            c => failures.push(format!(
                "demo try {n} (kill at {at:?}): {c} orders, expected 0 or {complete}"
            )),
        }
    }
    // Adjustments: each +1; killed ones may or may not have committed.
    let shop = lab.dir.join("kill-adjust.db");
    copy_db(&full, &shop);
    let (code, _) = a_product(&shop);
    // One adjustment to the end: how long one takes here (the window for the kills).
    let started = Instant::now();
    let out = lab.run(&shop, &["adjust", &code, "1", "--reason", "found"]);
    let one = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let start = on_hand(&shop, &code);
    let (mut acknowledged, mut killed) = (0i64, 0i64);
    for _ in 0..tries {
        let mut child = lab.spawn(&shop, &["adjust", &code, "1", "--reason", "found"]);
        let at = Duration::from_micros(lab.rng.below(one.as_micros() as u64 * 3 / 2 + 1));
        if kill_after(&mut child, at) {
            killed += 1;
        } else if child.wait().map(|s| s.success()).unwrap_or(false) {
            acknowledged += 1;
        } else {
            failures.push("an adjustment that was not killed failed".to_owned());
        }
    }
    if let Err(e) = lab.check(&shop) {
        failures.push(format!("adjustments: {e}"));
    }
    let gained = on_hand(&shop, &code) - start;
    if gained < acknowledged || gained > acknowledged + killed {
        failures.push(format!(
            "adjustments: on hand grew by {gained}, acknowledged {acknowledged}, killed {killed}"
        ));
    }
    Report {
        name: "kill -9 during the sample shop and stock adjustments",
        tries: tries * 2,
        failures,
        figure: format!(
            "sample shop ({demo_orders} orders, {:.2} s) killed {tries} times: {empty} empty, \
             {whole_shop} whole; {tries} adjustments: {acknowledged} acknowledged, {killed} \
             killed, on hand +{gained}",
            whole.as_secs_f64()
        ),
    }
}

/// 3. Four processes writing at once (adjustments, reviews, flags, pack checks), `rounds`
///    commands each: no "database is locked" reaches anyone, every adjustment is
///    acknowledged, and the final stock is the start plus the acknowledged movements.
pub fn contention(lab: &mut Lab, rounds: u64) -> Report {
    let shop = lab.sample_shop("contention.db", 300);
    let (code, start) = a_product(&shop);
    let conn = Connection::open(&shop).expect("open");
    let pending: Vec<String> = conn
        .prepare(
            "SELECT order_no FROM orders WHERE merged_into IS NULL AND state = 'pending_review'
             ORDER BY id LIMIT 50",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(conn);
    let order_no = pending[0].clone();
    let workers: [(&str, Vec<Vec<String>>); 4] = [
        (
            "adjust",
            vec![vec![
                "adjust".into(),
                code.clone(),
                "1".into(),
                "--reason".into(),
                "found".into(),
            ]],
        ),
        (
            "review",
            pending
                .iter()
                .map(|no| vec!["review".to_owned(), no.clone()])
                .collect(),
        ),
        (
            "flag",
            vec![
                vec!["flag".into(), order_no.clone(), "red".into()],
                vec!["flag".into(), order_no.clone(), "none".into()],
            ],
        ),
        (
            "pack",
            vec![vec![
                "pack".into(),
                order_no.clone(),
                "--scan".into(),
                "NO-SUCH-ITEM".into(),
            ]],
        ),
    ];
    let started = Instant::now();
    let results: Vec<(String, u64, u64, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = workers
            .iter()
            .map(|(name, commands)| {
                let (bin, shop) = (lab.bin.clone(), shop.clone());
                scope.spawn(move || {
                    let (mut ok, mut refused) = (0, 0);
                    let mut bad = Vec::new();
                    for round in 0..rounds {
                        let args = &commands[(round as usize) % commands.len()];
                        let out = Command::new(&bin)
                            .arg("--db")
                            .arg(&shop)
                            .args(args)
                            .stdin(Stdio::null())
                            .output()
                            .expect("runs");
                        let stderr = String::from_utf8_lossy(&out.stderr);
                        if let Some(word) = unwanted(&stderr) {
                            bad.push(format!("{name} round {round}: {word}: {stderr}"));
                        }
                        if out.status.success() {
                            ok += 1;
                        } else {
                            refused += 1;
                        }
                    }
                    (name.to_string(), ok, refused, bad)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker"))
            .collect()
    });
    let elapsed = started.elapsed();
    let mut failures = Vec::new();
    let mut acknowledged = 0;
    for (name, ok, refused, bad) in &results {
        failures.extend(bad.iter().cloned());
        if name == "adjust" {
            acknowledged = *ok as i64;
            if *refused > 0 {
                failures.push(format!("{refused} adjustments failed"));
            }
        }
    }
    if let Err(e) = lab.check(&shop) {
        failures.push(e);
    }
    let stock = on_hand(&shop, &code);
    if stock != start + acknowledged {
        failures.push(format!(
            "lost update: on hand {stock}, expected {start} + {acknowledged}"
        ));
    }
    let commands: u64 = results.iter().map(|(_, ok, refused, _)| ok + refused).sum();
    Report {
        name: "four writers at once",
        tries: commands,
        failures,
        figure: format!(
            "{commands} commands from 4 processes in {:.1} s ({}); final stock {stock} = {start} \
             + {acknowledged} acknowledged adjustments",
            elapsed.as_secs_f64(),
            results
                .iter()
                .map(|(n, ok, refused, _)| format!("{n} {ok} ok/{refused} refused"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// 5. Backups taken while a big import runs and while a steady writer adjusts stock: each
///    copy passes `check` and holds a consistent state (the orders before the import or
///    after it; the ledger equal to the balances).
pub fn backups_under_load(lab: &mut Lab, orders: u64, backups_while_writing: u64) -> Report {
    let files = lab.dir.join("backup-load");
    std::fs::create_dir_all(&files).unwrap();
    let (order_csv, item_csv) =
        shopdesk::import::generate_taobao_pair(&files, orders, 11).expect("export");
    let shop = lab.sample_shop("backup-load.db", 100);
    let before = count(&shop, "SELECT count(*) FROM orders");
    let copies = lab.dir.join("backup-load-copies");
    let copies_arg = copies.display().to_string();
    let (o, i) = (
        order_csv.display().to_string(),
        item_csv.display().to_string(),
    );
    let mut import = lab.spawn(&shop, &["import", "taobao", &o, &i]);
    let mut taken = Vec::new();
    let mut failures = Vec::new();
    while import.try_wait().expect("wait").is_none() {
        let out = lab.run(&shop, &["backup", "--to", &copies_arg]);
        if out.status.success() {
            taken.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
        } else {
            failures.push(format!(
                "a backup during the import failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(import.wait().expect("import").success());
    let after = count(&shop, "SELECT count(*) FROM orders");
    let during_import = taken.len();
    // A steady writer: adjustments one after the other while backups are taken.
    let (code, _) = a_product(&shop);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let out = Command::new(&lab.bin)
                    .arg("--db")
                    .arg(&shop)
                    .args(["adjust", &code, "1", "--reason", "found"])
                    .output()
                    .expect("runs");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                n += 1;
            }
            n
        });
        for _ in 0..backups_while_writing {
            let out = lab.run(&shop, &["backup", "--to", &copies_arg]);
            if out.status.success() {
                taken.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
            } else {
                failures.push(format!(
                    "a backup under a steady writer failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.join().expect("writer")
    });
    for (n, copy) in taken.iter().enumerate() {
        if let Err(e) = lab.check(copy) {
            failures.push(format!("{}: {e}", copy.display()));
            continue;
        }
        let orders_in = count(copy, "SELECT count(*) FROM orders");
        if n < during_import && orders_in != before && orders_in != after {
            failures.push(format!(
                "{}: {orders_in} orders, expected {before} or {after}",
                copy.display()
            ));
        }
        let _ = std::fs::remove_file(copy);
    }
    Report {
        name: "backups during an import and a steady writer",
        tries: taken.len() as u64,
        failures,
        figure: format!(
            "{during_import} backups during a {orders}-order import and {} under a steady \
             writer: each opened, passed check and held the orders before or after the import",
            taken.len() - during_import
        ),
    }
}

/// 6. Restore of hostile files: bit-flipped copies of a good backup, a truncated one, an
///    empty one, a foreign SQLite file and a newer schema: never a crash, the live file
///    untouched by every refusal, and a copy that is accepted passes `check` (its flips
///    fell where nothing is stored).
pub fn hostile_restores(lab: &mut Lab, flipped: u64) -> Report {
    let live = lab.sample_shop("hostile-live.db", 100);
    let out = lab.run(
        &live,
        &[
            "backup",
            "--to",
            &lab.dir.join("hostile-backups").display().to_string(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let good = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let bytes = std::fs::read(&good).expect("backup");
    let hostile = lab.dir.join("hostile");
    std::fs::create_dir_all(&hostile).unwrap();
    let mut files = Vec::new();
    for n in 0..flipped {
        let mut copy = bytes.clone();
        for _ in 0..20 {
            let at = lab.rng.below(copy.len() as u64) as usize;
            copy[at] ^= 1 << lab.rng.below(8);
        }
        let path = hostile.join(format!("flipped-{n}.db"));
        std::fs::write(&path, copy).unwrap();
        files.push(path);
    }
    let truncated = hostile.join("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let empty = hostile.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let foreign = hostile.join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let newer = hostile.join("newer.db");
    std::fs::write(&newer, &bytes).unwrap();
    Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999;")
        .unwrap();
    let must_refuse = [truncated, empty, foreign, newer];
    files.extend(must_refuse.iter().cloned());
    let mut failures = Vec::new();
    let (mut refused, mut accepted) = (0, 0);
    for file in &files {
        // The live file as it is before this restore.
        let _ = Connection::open(&live)
            .unwrap()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        let before = std::fs::read(&live).unwrap();
        let out = lab.run(&live, &["restore", &file.display().to_string()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if let Some(word) = unwanted(&stderr) {
            failures.push(format!("{}: {word}: {stderr}", file.display()));
        }
        if out.status.code().is_none() {
            failures.push(format!(
                "{}: the restore was killed by a signal",
                file.display()
            ));
        }
        if out.status.success() {
            accepted += 1;
            if must_refuse.contains(file) {
                failures.push(format!("{}: accepted", file.display()));
            }
            if let Err(e) = lab.check(&live) {
                failures.push(format!("{} was accepted but: {e}", file.display()));
            }
            // Back to the good file for the next one.
            copy_db(&good, &live);
        } else {
            refused += 1;
            if std::fs::read(&live).unwrap() != before {
                failures.push(format!(
                    "{}: refused, but the live file changed",
                    file.display()
                ));
            }
        }
    }
    Report {
        name: "restore of hostile files",
        tries: files.len() as u64,
        failures,
        figure: format!(
            "{flipped} copies with 20 bits flipped, truncated, empty, foreign, newer: {refused} \
             refused with the live file untouched, {accepted} accepted (each passing check), \
             no crash"
        ),
    }
}

/// 8. The disk filling up during an import (the file size limit of the child, with the
///    signal ignored, so that writes fail with "file too large" as on a full disk): a
///    clear error, the file intact, and the same import working once there is room.
pub fn disk_full_during_import(lab: &mut Lab, orders: u64, tries: u64) -> Report {
    let files = lab.dir.join("disk-full");
    std::fs::create_dir_all(&files).unwrap();
    let (order_csv, item_csv) =
        shopdesk::import::generate_taobao_pair(&files, orders, 13).expect("export");
    let base = lab.sample_shop("disk-full-base.db", 50);
    let size_kb = std::fs::metadata(&base).unwrap().len() / 1024;
    let before = count(&base, "SELECT count(*) FROM orders");
    let shop = lab.dir.join("disk-full.db");
    let mut failures = Vec::new();
    let mut said = String::new();
    for n in 0..tries {
        copy_db(&base, &shop);
        // Room for the file as it is and a little more: the import runs out part-way.
        let limit_kb = size_kb + 64 + lab.rng.below(2048);
        let script = format!(
            "trap '' XFSZ; ulimit -f {}; exec \"$0\" --db \"$1\" import taobao \"$2\" \"$3\"",
            limit_kb
        );
        let out = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .arg(&lab.bin)
            .arg(&shop)
            .arg(&order_csv)
            .arg(&item_csv)
            .stdin(Stdio::null())
            .output()
            .expect("sh");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.success() {
            // The limit was enough for this import: nothing to learn from this try.
            continue;
        }
        if let Some(word) = unwanted(&stderr) {
            failures.push(format!("try {n}: {word}: {stderr}"));
        }
        if !stderr.contains("shopdesk: error:")
            || !stderr.contains("Free some space")
            || stderr.lines().count() > 3
        {
            failures.push(format!("try {n}: not one clear error: {stderr}"));
        }
        said = stderr.trim().to_owned();
        if let Err(e) = lab.check(&shop) {
            failures.push(format!("try {n}: {e}"));
            continue;
        }
        let now = count(&shop, "SELECT count(*) FROM orders");
        if now != before {
            failures.push(format!(
                "try {n}: {now} orders after a failed import, expected {before}"
            ));
        }
        // Room again: the same import goes through.
        let (o, i) = (
            order_csv.display().to_string(),
            item_csv.display().to_string(),
        );
        let out = lab.run(&shop, &["import", "taobao", &o, &i]);
        if !out.status.success() {
            failures.push(format!(
                "try {n}: the import failed again with room: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    Report {
        name: "disk full during an import",
        tries,
        failures,
        figure: format!(
            "{tries} imports of {orders} orders cut short by a full disk; said: {said}"
        ),
    }
}

/// 9. A long read (a report left open) while writes go on: the WAL grows only while the
///    read holds its snapshot, and is back within the journal size limit once it ends.
pub fn long_read_wal(lab: &mut Lab, writes: u64) -> Report {
    let shop = lab.sample_shop("long-read.db", 200);
    let (code, _) = a_product(&shop);
    let wal = sidecar(&shop, "-wal");
    let reader = Connection::open(&shop).expect("open");
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM orders", [], |row| row.get(0))
        .unwrap();
    let mut store = Store::open(&shop).expect("open");
    for _ in 0..writes {
        store
            .adjust_stock(&code, 1, "found", "owner")
            .expect("adjust");
    }
    let during = std::fs::metadata(&wal).map_or(0, |m| m.len());
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    for _ in 0..20 {
        store
            .adjust_stock(&code, 1, "found", "owner")
            .expect("adjust");
    }
    let after = std::fs::metadata(&wal).map_or(0, |m| m.len());
    let mut failures = Vec::new();
    let limit = shopdesk::store::WAL_SIZE_LIMIT;
    if after > limit {
        failures.push(format!(
            "the WAL stayed at {after} bytes after the read ended (limit {limit})"
        ));
    }
    Report {
        name: "a long read while writes continue",
        tries: writes,
        failures,
        figure: format!(
            "{writes} writes during an open read: WAL {:.1} MB; after the read ended and 20 \
             more writes: {:.1} MB (limit {:.0} MB)",
            during as f64 / 1e6,
            after as f64 / 1e6,
            limit as f64 / 1e6
        ),
    }
}

/// 4. Raw SQL against what is immutable, as the `sqlite3` shell or a script would send it
///    (foreign keys and recursive triggers off): every UPDATE, DELETE and REPLACE on an
///    archived order, its lines and events, and the stock ledger is refused and changes
///    nothing.
pub fn raw_sql_on_immutable(lab: &mut Lab) -> Report {
    let shop = lab.sample_shop("immutable.db", 300);
    let conn = Connection::open(&shop).expect("open");
    conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA recursive_triggers = OFF;")
        .unwrap();
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).expect(sql) };
    let order = one("SELECT min(id) FROM orders WHERE state = 'archived'");
    let line = one(&format!(
        "SELECT min(id) FROM order_lines WHERE order_id = {order}"
    ));
    let event = one(&format!(
        "SELECT min(id) FROM order_events WHERE order_id = {order}"
    ));
    let movement = one("SELECT min(id) FROM stock_movements");
    let snapshot = |conn: &Connection| -> Vec<String> {
        [
            format!("SELECT * FROM orders WHERE id = {order}"),
            format!("SELECT * FROM order_lines WHERE id = {line}"),
            format!("SELECT * FROM order_events WHERE id = {event}"),
            format!("SELECT * FROM stock_movements WHERE id = {movement}"),
        ]
        .iter()
        .map(|sql| {
            let mut statement = conn.prepare(sql).unwrap();
            let width = statement.column_count();
            statement
                .query_map([], |row| {
                    Ok((0..width)
                        .map(|i| format!("{:?}", row.get_ref(i).map(|v| v.to_owned())))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
    };
    let before = snapshot(&conn);
    let statements = [
        format!("UPDATE orders SET receiver_name = 'x' WHERE id = {order}"),
        format!("UPDATE orders SET state = 'approved' WHERE id = {order}"),
        format!("DELETE FROM orders WHERE id = {order}"),
        format!("REPLACE INTO orders SELECT * FROM orders WHERE id = {order}"),
        format!("UPDATE OR REPLACE orders SET order_no = order_no || 'x' WHERE id = {order}"),
        format!("UPDATE order_lines SET quantity = quantity + 1 WHERE id = {line}"),
        format!("DELETE FROM order_lines WHERE id = {line}"),
        format!("REPLACE INTO order_lines SELECT * FROM order_lines WHERE id = {line}"),
        format!("UPDATE order_events SET detail = 'x' WHERE id = {event}"),
        format!("DELETE FROM order_events WHERE id = {event}"),
        format!("REPLACE INTO order_events SELECT * FROM order_events WHERE id = {event}"),
        format!("UPDATE stock_movements SET quantity = quantity + 1 WHERE id = {movement}"),
        format!("DELETE FROM stock_movements WHERE id = {movement}"),
        format!("REPLACE INTO stock_movements SELECT * FROM stock_movements WHERE id = {movement}"),
    ];
    let mut failures = Vec::new();
    for sql in &statements {
        if let Ok(n) = conn.execute(sql, []) {
            failures.push(format!("accepted ({n} rows): {sql}"));
        }
    }
    if snapshot(&conn) != before {
        failures.push("a protected row changed".to_owned());
    }
    drop(conn);
    if let Err(e) = lab.check(&shop) {
        failures.push(e);
    }
    Report {
        name: "raw SQL on what is immutable",
        tries: statements.len() as u64,
        failures,
        figure: format!(
            "{} UPDATE/DELETE/REPLACE statements on an archived order, its line and event and \
             the ledger, with foreign keys and recursive triggers off: all refused, rows unchanged",
            statements.len()
        ),
    }
}

/// A file as ShopDesk at schema `version` wrote it, with one product and one order.
pub fn old_schema_file(path: &Path, version: i64) {
    let mut conn = Connection::open(path).expect("open");
    shopdesk::store::migrate_to(&mut conn, version).expect("old schema");
    conn.execute_batch(
        "INSERT INTO products (code, name, created_at, updated_at) VALUES ('OLD', 'old', 't', 't');
         INSERT INTO orders (platform, order_no, state, ordered_at, created_at, updated_at)
             VALUES ('taobao', 'T-OLD', 'approved', '2025-01-02T10:00:00+08:00', 't', 't');",
    )
    .expect("old data");
}

/// 7. Migrations: a file of every released schema version migrates to the latest with its
///    data; a migration killed at random moments (a file of schema 9 with `orders` orders,
///    whose next migration builds the customers) leaves the old version or the new, never
///    a mix, and the next open finishes it.
pub fn migrations(lab: &mut Lab, orders: u64, kills: u64) -> Report {
    let latest = shopdesk::store::SCHEMA_VERSION;
    let mut failures = Vec::new();
    for version in 1..latest {
        let path = lab.dir.join(format!("schema-{version}.db"));
        old_schema_file(&path, version);
        if let Err(e) = lab.check(&path) {
            failures.push(format!("schema {version}: {e}"));
            continue;
        }
        let now = count(&path, "PRAGMA user_version");
        let kept = count(
            &path,
            "SELECT (SELECT count(*) FROM orders WHERE order_no = 'T-OLD')
                  + (SELECT count(*) FROM products WHERE code = 'OLD')",
        );
        if now != latest || kept != 2 {
            failures.push(format!(
                "schema {version}: now {now}, rows kept {kept} of 2"
            ));
        }
    }
    let base = lab.dir.join("migrate-kill-base.db");
    let _ = std::fs::remove_file(&base);
    old_schema_file(&base, 9);
    Connection::open(&base)
        .unwrap()
        .execute_batch(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {orders})
             INSERT INTO orders (platform, order_no, state, ordered_at, created_at, updated_at,
                                 buyer_id, receiver_name, receiver_phone)
             SELECT 'taobao', 'T' || i, 'shipped', '2025-01-02T10:00:00+08:00', 't', 't',
                    'buyer' || (i % 5000), 'name' || (i % 5000), '138' || (10000000 + i % 5000)
             FROM n;"
        ))
        .expect("orders");
    let target = lab.dir.join("migrate-kill.db");
    let full = lab.dir.join("migrate-kill-full.db");
    copy_db(&base, &full);
    let started = Instant::now();
    if let Err(e) = lab.check(&full) {
        failures.push(format!("migrating the big file: {e}"));
    }
    let whole = started.elapsed();
    let (mut old, mut new, mut between) = (0, 0, 0);
    for n in 0..kills {
        copy_db(&base, &target);
        // Each open backs the old file up before migrating it: keep the disk free.
        let _ = std::fs::remove_dir_all(lab.dir.join("backups"));
        let mut child = lab.spawn(&target, &["check"]);
        let at = Duration::from_micros(lab.rng.below(whole.as_micros() as u64 + 1));
        kill_after(&mut child, at);
        let conn = Connection::open(&target).expect("open");
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let sound: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        drop(conn);
        match version {
            9 => old += 1,
            v if v == latest => new += 1,
            // Each migration is its own transaction: one fully applied, the next not begun.
            v if (9..latest).contains(&v) => between += 1,
            v => failures.push(format!("kill {n} at {at:?}: schema {v}")),
        }
        if sound != "ok" {
            failures.push(format!("kill {n} at {at:?}: {sound}"));
        }
        if let Err(e) = lab.check(&target) {
            failures.push(format!("kill {n} at {at:?}, then opened again: {e}"));
        }
    }
    Report {
        name: "migrations",
        tries: (latest - 1) as u64 + kills,
        failures,
        figure: format!(
            "files of schema 1 to {} migrated to {latest} with their rows; a {orders}-order \
             schema-9 file ({:.2} s to migrate) killed {kills} times: {old} left at 9, {new} \
             at {latest}, {between} at a whole migration in between; integrity ok each time",
            latest - 1,
            whole.as_secs_f64()
        ),
    }
}

/// The environment that makes a program a writer child (see [`writer_child`]).
const WRITER_KIND: &str = "SHOPDESK_RELIABILITY_WRITER";
const WRITER_DB: &str = "SHOPDESK_RELIABILITY_DB";
const WRITER_ARG: &str = "SHOPDESK_RELIABILITY_ARG";
/// The operator a writer child records its writes as.
const WRITER_OPERATOR: &str = "reliability";

/// When this process was started as a writer child ([`Lab::spawn_writer`]): writes until
/// it is killed (or runs out of work), printing `ack KIND VALUE` once each write has
/// committed, and returns true. Returns false at once in any other process.
///
/// One process writing many times is what a shop's window or a packer's station is: a
/// kill lands in the middle of a transaction, a commit or between two, not mostly in a
/// command's start-up as with one `shopdesk` command per write.
pub fn writer_child() -> bool {
    let (Ok(kind), Ok(db), Ok(arg)) = (
        std::env::var(WRITER_KIND),
        std::env::var(WRITER_DB),
        std::env::var(WRITER_ARG),
    ) else {
        return false;
    };
    let mut store = Store::open(Path::new(&db)).expect("the writer opens the shop");
    let op = WRITER_OPERATOR;
    match kind.as_str() {
        "adjust" => {
            for _ in 0..1_000_000 {
                store
                    .adjust_with_reason(
                        &arg,
                        1,
                        shopdesk::domain::inventory::AdjustReason::Found,
                        "",
                        op,
                    )
                    .expect("adjust");
                println!("ack adjust 1");
            }
        }
        "receive" => {
            let (purchase, code) = arg.split_once(':').expect("PURCHASE:CODE");
            let purchase: i64 = purchase.parse().expect("purchase id");
            let line = [(code.to_owned(), 1)];
            for _ in 0..1_000_000 {
                store
                    .receive_purchase(purchase, &line, op)
                    .expect("receive");
                println!("ack receive 1");
            }
        }
        "count" => {
            // A count of the product's bin, one entry, posted; the counted figure moves
            // so that every post writes a movement. A count left open by the kill before
            // is cancelled first, as the stock keeper would.
            let (bin, code) = arg.split_once(':').expect("BIN:CODE");
            let open: Vec<i64> = {
                let conn = Connection::open(&db).expect("open");
                let mut stmt = conn
                    .prepare("SELECT id FROM stock_counts WHERE status = 'open'")
                    .expect("open counts");
                stmt.query_map([], |row| row.get(0))
                    .expect("open counts")
                    .collect::<Result<_, _>>()
                    .expect("open counts")
            };
            for id in open {
                store
                    .cancel_count(id, "owner")
                    .expect("cancel the open count");
            }
            for n in 0..1_000_000i64 {
                let id = store.start_count(bin, bin, op).expect("start count");
                let on_hand = on_hand(Path::new(&db), code);
                let counted = if n % 2 == 0 { on_hand + 3 } else { on_hand - 1 };
                store
                    .count_entry(
                        id,
                        code,
                        shopdesk::domain::inventory::CountEntry::Set(counted.max(0)),
                    )
                    .expect("count entry");
                store.post_count(id, op).expect("post count");
                println!("ack count {id}");
            }
        }
        "ship" => {
            let printed: Vec<i64> = {
                let conn = Connection::open(&db).expect("open");
                let mut stmt = conn
                    .prepare("SELECT id FROM orders WHERE state = 'printed' ORDER BY id")
                    .expect("printed orders");
                stmt.query_map([], |row| row.get(0))
                    .expect("printed orders")
                    .collect::<Result<_, _>>()
                    .expect("printed orders")
            };
            for id in printed {
                match store
                    .ship_override(id, "reliability test", Some(500), op)
                    .expect("ship")
                {
                    shopdesk::store::ShipResult::Shipped { .. } => println!("ack ship {id}"),
                    _ => println!("refused ship {id}"),
                }
            }
        }
        other => panic!("unknown writer {other}"),
    }
    true
}

/// A writer child killed after `after`: the values of the writes it acknowledged (each
/// `ack KIND VALUE` line it printed before the kill), and whether the kill came before
/// the child ran out of work.
fn kill_writer(mut child: Child, after: Duration) -> (Vec<String>, bool) {
    let stdout = child.stdout.take().expect("the writer's stdout");
    let reader = std::thread::spawn(move || {
        std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .filter_map(|line| {
                // A test binary's child writes its first line after libtest's
                // "test writer_child ... ".
                line.find("ack ")
                    .and_then(|at| line[at + 4..].split_once(' '))
                    .map(|(_, value)| value.to_owned())
            })
            .collect::<Vec<String>>()
    });
    let killed = kill_after(&mut child, after);
    (reader.join().expect("the reader"), killed)
}

/// What one kind of writer child did over its kills.
#[derive(Default)]
struct Kills {
    tries: u64,
    killed: u64,
    acknowledged: u64,
    /// Kills after which the write in flight was found committed (killed between its
    /// commit and its `ack`, or during the commit's sync, its frames already written).
    in_flight_kept: u64,
}

/// 2b. Writer children killed mid-stream, `tries` times for each of stock adjustments,
///    purchase receipts, stock counts (start, entry, post) and pack/ship: after each kill
///    every write the child acknowledged is in the file, at most the one in flight beyond
///    them, nothing is half-written (`check`).
pub fn kill_during_write_streams(lab: &mut Lab, demo_orders: u64, tries: u64) -> Report {
    let mut failures = Vec::new();
    let shop = lab.sample_shop("kill-streams.db", demo_orders);
    let (code, _) = a_product(&shop);
    let bin: String = {
        let conn = Connection::open(&shop).expect("open");
        conn.query_row("SELECT bin FROM products WHERE code = ?1", [&code], |row| {
            row.get(0)
        })
        .expect("bin")
    };
    let purchase = {
        let mut store = Store::open(&shop).expect("open");
        store
            .create_purchase(
                &shopdesk::store::NewPurchase {
                    supplier: "Reliability".to_owned(),
                    expected_date: None,
                    note: String::new(),
                    lines: vec![shopdesk::store::NewPurchaseLine {
                        code: code.clone(),
                        quantity: 10_000_000,
                        unit_cost_cents: 100,
                    }],
                },
                "owner",
            )
            .expect("purchase")
    };
    // The kill lands anywhere in the first `window` of the child's life.
    let window = Duration::from_millis(1500);
    let mut figures = Vec::new();
    for kind in ["adjust", "receive", "count", "ship"] {
        if kind == "ship" {
            // Enough printed orders that no kill finds the station out of work (the
            // adjustments and receipts before put their goods on hand).
            printed_orders(&shop, &code, tries * 600);
        }
        let mut kills = Kills::default();
        for n in 0..tries {
            let before_on_hand = on_hand(&shop, &code);
            let before_ledger = count(&shop, "SELECT count(*) FROM stock_movements");
            let before_shipped =
                count(&shop, "SELECT count(*) FROM orders WHERE state = 'shipped'");
            let before_posted = count(
                &shop,
                "SELECT count(*) FROM stock_counts WHERE status = 'posted'",
            );
            let arg = match kind {
                "receive" => format!("{purchase}:{code}"),
                "count" => format!("{bin}:{code}"),
                _ => code.clone(),
            };
            let child = lab.spawn_writer(kind, &shop, &arg);
            let at = Duration::from_micros(lab.rng.below(window.as_micros() as u64) + 1);
            let (acked, killed) = kill_writer(child, at);
            kills.tries += 1;
            kills.killed += u64::from(killed);
            kills.acknowledged += acked.len() as u64;
            let said = |what: String| format!("{kind} try {n} (kill at {at:?}): {what}");
            if let Err(e) = lab.check(&shop) {
                failures.push(said(e));
                continue;
            }
            let acked_n = acked.len() as i64;
            let mut within = |found: i64| {
                kills.in_flight_kept += u64::from(found == acked_n + 1);
                found >= acked_n && found <= acked_n + 1
            };
            match kind {
                "adjust" | "receive" => {
                    let gained = on_hand(&shop, &code) - before_on_hand;
                    if !within(gained) {
                        failures.push(said(format!(
                            "on hand grew by {gained}, {acked_n} acknowledged"
                        )));
                    }
                    let moved =
                        count(&shop, "SELECT count(*) FROM stock_movements") - before_ledger;
                    if moved != gained {
                        failures.push(said(format!(
                            "{moved} ledger movements for a gain of {gained}"
                        )));
                    }
                }
                "count" => {
                    let posted = count(
                        &shop,
                        "SELECT count(*) FROM stock_counts WHERE status = 'posted'",
                    ) - before_posted;
                    if !within(posted) {
                        failures.push(said(format!(
                            "{posted} counts posted, {acked_n} acknowledged"
                        )));
                    }
                    for id in &acked {
                        let status: String = Connection::open(&shop)
                            .expect("open")
                            .query_row(
                                "SELECT status FROM stock_counts WHERE id = ?1",
                                [id],
                                |row| row.get(0),
                            )
                            .unwrap_or_else(|_| "missing".to_owned());
                        if status != "posted" {
                            failures.push(said(format!("acknowledged count {id} is {status}")));
                        }
                    }
                }
                _ => {
                    let shipped =
                        count(&shop, "SELECT count(*) FROM orders WHERE state = 'shipped'")
                            - before_shipped;
                    if !within(shipped) {
                        failures.push(said(format!(
                            "{shipped} orders shipped, {acked_n} acknowledged"
                        )));
                    }
                    for id in &acked {
                        let state: String = Connection::open(&shop)
                            .expect("open")
                            .query_row("SELECT state FROM orders WHERE id = ?1", [id], |row| {
                                row.get(0)
                            })
                            .unwrap_or_else(|_| "missing".to_owned());
                        if state != "shipped" {
                            failures.push(said(format!("acknowledged order {id} is {state}")));
                        }
                    }
                }
            }
        }
        figures.push(format!(
            "{kind}: {} kills ({} mid-stream), {} writes acknowledged, the one in flight \
             kept after {}",
            kills.tries, kills.killed, kills.acknowledged, kills.in_flight_kept
        ));
    }
    Report {
        name: "kill -9 of writers mid-stream (adjustments, receipts, counts, pack/ship)",
        tries: tries * 4,
        failures,
        figure: figures.join("; "),
    }
}

/// Adds `n` paid orders of one `code` each to `db`, reviewed and printed (in batches of
/// one transaction each), for the pack station to ship.
fn printed_orders(db: &Path, code: &str, n: u64) {
    use shopdesk::domain::model::{NewOrder, NewOrderLine};
    let mut store = Store::open(db).expect("open");
    let orders: Vec<NewOrder> = (0..n)
        .map(|i| {
            let mut o = NewOrder::new("taobao", &format!("SHIP-{i}"), "2026-11-29T10:00:00+08:00");
            o.receiver_name = "欧阳娜娜".to_owned();
            o.receiver_phone = "13812345678".to_owned();
            o.province = "浙江省".to_owned();
            o.city = "杭州市".to_owned();
            o.district = "西湖区".to_owned();
            o.address = "文三路 90 号".to_owned();
            o.lines.push(NewOrderLine {
                sku: code.to_owned(),
                title: code.to_owned(),
                attributes: String::new(),
                quantity: 1,
                unit_price_cents: 1000,
            });
            o.goods_cents = 1000;
            o.payment_status = shopdesk::domain::PaymentStatus::Paid;
            o.paid_cents = 1000;
            o.courier = "SF".to_owned();
            o.tracking_no = format!("SF9{i:08}");
            o
        })
        .collect();
    let ids = store
        .insert_orders(&orders, "test", "owner")
        .expect("insert");
    for &id in &ids {
        store
            .apply_event(id, shopdesk::domain::Event::Review, "owner")
            .expect("review");
    }
    for chunk in ids.chunks(500) {
        store
            .record_print(chunk, None, shopdesk::store::Document::Waybills, "owner")
            .expect("print");
    }
}
