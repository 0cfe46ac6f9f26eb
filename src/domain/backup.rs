//! The rules of the backup folder, pure: how a backup is named, which backups retention
//! keeps, when the daily backup is due, and how old the last one is.
//!
//! A backup is `shopdesk-YYYYMMDD-HHMMSS.db` (local time), or `shopdesk-YYYYMMDD-HHMMSS-N.db`
//! for the N-th taken within one second. Only files named so are ShopDesk's backups:
//! retention never touches anything else in the folder (the owner's own copies, the
//! `-as-found.db` bytes of a damaged file kept before a restore, other programs' files).
//!
//! Retention keeps every backup of the last 48 hours (a backup taken by hand before a risky
//! change, the one taken before a restore and the one restored from all stay), the newest
//! backup, and the last backup of each of the 7 most recent
//! days, 4 most recent weeks (ISO weeks) and 12 most recent months that have one; a
//! backup kept by one rule also counts for the others (as restic's `forget` does). Periods
//! are counted among the backups, not on the calendar, so a shop closed for a month still
//! finds its last week of backups when it opens again. A backup dated in the future (the
//! clock was wrong) is kept.

use chrono::{Datelike, NaiveDateTime};

/// Days, weeks and months of backups kept.
pub const KEEP_DAILY: usize = 7;
pub const KEEP_WEEKLY: usize = 4;
pub const KEEP_MONTHLY: usize = 12;

/// Every backup younger than this many hours is kept.
pub const KEEP_ALL_HOURS: i64 = 48;

/// A backup older than this many hours is stale: the status bar warns.
pub const STALE_AFTER_HOURS: i64 = 48;

/// When a backup was taken, from its name: the time, then the number within that second
/// (1 for the first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    pub at: NaiveDateTime,
    pub n: u32,
}

const TIME_FORMAT: &str = "%Y%m%d-%H%M%S";

/// The name of the backup taken at `at`, the `n`-th within that second.
pub fn backup_name(at: NaiveDateTime, n: u32) -> String {
    let time = at.format(TIME_FORMAT);
    if n <= 1 {
        format!("shopdesk-{time}.db")
    } else {
        format!("shopdesk-{time}-{n}.db")
    }
}

/// The stamp of a ShopDesk backup's file name; `None` for any other file.
pub fn parse_backup_name(name: &str) -> Option<Stamp> {
    let rest = name.strip_prefix("shopdesk-")?.strip_suffix(".db")?;
    let time = rest.get(..15)?;
    let at = NaiveDateTime::parse_from_str(time, TIME_FORMAT).ok()?;
    let n = match &rest[15..] {
        "" => 1,
        suffix => {
            let digits = suffix.strip_prefix('-')?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok().filter(|n| *n >= 2)?
        }
    };
    Some(Stamp { at, n })
}

/// The positions in `backups` of the backups retention deletes at `now`, in ascending
/// order. The newest backup is never among them.
pub fn to_delete(backups: &[Stamp], now: NaiveDateTime) -> Vec<usize> {
    let mut newest_first: Vec<usize> = (0..backups.len()).collect();
    newest_first.sort_by_key(|i| std::cmp::Reverse(backups[*i]));
    let mut keep = vec![false; backups.len()];
    if let Some(first) = newest_first.first() {
        keep[*first] = true;
    }
    for &i in &newest_first {
        if (now - backups[i].at).num_hours() < KEEP_ALL_HOURS {
            keep[i] = true;
        }
    }
    // A period as a comparable key: (year, day / week / month number, which rule).
    type Period = fn(&Stamp) -> (i32, u32, u8);
    let day: Period = |s| (s.at.year(), s.at.ordinal(), 0);
    let week: Period = |s| {
        let w = s.at.iso_week();
        (w.year(), w.week(), 1)
    };
    let month: Period = |s| (s.at.year(), s.at.month(), 2);
    let rules = [
        (day, KEEP_DAILY),
        (week, KEEP_WEEKLY),
        (month, KEEP_MONTHLY),
    ];
    for (period, count) in rules {
        let mut last = None;
        let mut kept = 0;
        for &i in &newest_first {
            if kept == count {
                break;
            }
            let key = period(&backups[i]);
            if last != Some(key) {
                // The newest backup of a period is its last one.
                last = Some(key);
                keep[i] = true;
                kept += 1;
            }
        }
    }
    (0..backups.len()).filter(|i| !keep[*i]).collect()
}

/// Whether the daily backup is due at `now`: none yet today.
pub fn daily_due(newest: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    newest.is_none_or(|at| at.date() < now.date())
}

/// How old the last backup is, in the unit the status bar says it in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Age {
    /// There is no backup.
    Never,
    /// Less than a minute ago (or in the future: the clock moved).
    JustNow,
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

impl Age {
    /// The age of the backup taken at `newest`, at `now`.
    pub fn of(newest: Option<NaiveDateTime>, now: NaiveDateTime) -> Age {
        let Some(at) = newest else {
            return Age::Never;
        };
        let minutes = (now - at).num_minutes();
        match minutes {
            ..1 => Age::JustNow,
            1..60 => Age::Minutes(minutes),
            60..2880 => Age::Hours(minutes / 60),
            _ => Age::Days(minutes / 1440),
        }
    }
}

/// Whether the owner should be warned about the backups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    Recent,
    /// The last backup is older than [`STALE_AFTER_HOURS`].
    Stale,
    /// There is no backup at all.
    Missing,
}

/// How fresh the last backup (taken at `newest`) is at `now`.
pub fn freshness(newest: Option<NaiveDateTime>, now: NaiveDateTime) -> Freshness {
    match newest {
        None => Freshness::Missing,
        Some(at) if (now - at).num_hours() >= STALE_AFTER_HOURS => Freshness::Stale,
        Some(_) => Freshness::Recent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time")
    }

    #[test]
    fn names() {
        let cases: &[(&str, Option<(&str, u32)>)] = &[
            ("shopdesk-20261130-093000.db", Some(("2026-11-30 09:30", 1))),
            (
                "shopdesk-20261130-093000-2.db",
                Some(("2026-11-30 09:30", 2)),
            ),
            (
                "shopdesk-20261130-093000-12.db",
                Some(("2026-11-30 09:30", 12)),
            ),
            // Not ours: the bytes of a damaged file, temporary names, other files.
            ("shopdesk-20261130-093000-as-found.db", None),
            ("shopdesk-20261130-093000.db.partial", None),
            ("shopdesk-20261130-093000-.db", None),
            ("shopdesk-20261130-093000-1.db", None),
            ("shopdesk-20261330-093000.db", None),
            ("shopdesk-2026113-093000.db", None),
            ("my-copy.db", None),
            ("shopdesk.db", None),
            ("shopdesk-.db", None),
        ];
        for (name, expected) in cases {
            let expected = expected.map(|(at, n)| Stamp { at: t(at), n });
            assert_eq!(parse_backup_name(name), expected, "{name}");
            if let Some(stamp) = expected {
                assert_eq!(backup_name(stamp.at, stamp.n), *name);
            }
        }
    }

    /// Which of `backups` (times "YYYY-MM-DD HH:MM") retention deletes at `now`.
    fn check(backups: &[&str], now: &str, deleted: &[&str]) {
        let stamps: Vec<Stamp> = backups.iter().map(|b| Stamp { at: t(b), n: 1 }).collect();
        let got: Vec<&str> = to_delete(&stamps, t(now))
            .into_iter()
            .map(|i| backups[i])
            .collect();
        assert_eq!(got, deleted, "backups {backups:?} at {now}");
    }

    #[test]
    fn retention() {
        // Nothing to delete.
        check(&[], "2026-11-30 10:00", &[]);
        check(&["2026-11-30 09:00"], "2026-11-30 10:00", &[]);
        // Several in one day: all kept for two days, then the last of the day.
        let one_day = ["2026-11-30 08:00", "2026-11-30 09:00", "2026-11-30 09:30"];
        check(&one_day, "2026-11-30 10:00", &[]);
        check(&one_day, "2026-12-02 08:30", &["2026-11-30 08:00"]);
        check(
            &one_day,
            "2026-12-02 10:00",
            &["2026-11-30 08:00", "2026-11-30 09:00"],
        );
        // Seven days in a row: all kept.
        let week: Vec<String> = (24..=30).map(|d| format!("2026-11-{d} 09:00")).collect();
        let week: Vec<&str> = week.iter().map(String::as_str).collect();
        check(&week, "2026-11-30 10:00", &[]);
        // 40 days in a row (2026-10-22 … 2026-11-30): 7 daily, then the last of each ISO
        // week (Sundays), then the last of October.
        let days: Vec<String> = (0..40)
            .map(|i| {
                (t("2026-10-22 09:00") + chrono::Duration::days(i))
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .collect();
        let days: Vec<&str> = days.iter().map(String::as_str).collect();
        let stamps: Vec<Stamp> = days.iter().map(|b| Stamp { at: t(b), n: 1 }).collect();
        let deleted = to_delete(&stamps, t("2026-11-30 10:00"));
        let kept: Vec<&str> = (0..days.len())
            .filter(|i| !deleted.contains(i))
            .map(|i| days[i])
            .collect();
        assert_eq!(
            kept,
            vec![
                // The month of October: its last backup.
                "2026-10-31 09:00",
                // The last of ISO weeks 46 and 47 (weeks 48 and 49 are among the dailies).
                "2026-11-15 09:00",
                "2026-11-22 09:00",
                // 7 daily.
                "2026-11-24 09:00",
                "2026-11-25 09:00",
                "2026-11-26 09:00",
                "2026-11-27 09:00",
                "2026-11-28 09:00",
                "2026-11-29 09:00",
                "2026-11-30 09:00",
            ]
        );
        // Monthly backups for two years: the 12 most recent months are kept.
        let months: Vec<String> = (0..24)
            .map(|i| format!("{}-{:02}-15 09:00", 2025 + i / 12, i % 12 + 1))
            .collect();
        let months: Vec<&str> = months.iter().map(String::as_str).collect();
        check(&months, "2026-12-20 10:00", &months[..12]);
        // A gap: a shop closed for two months keeps its last week of backups.
        check(
            &[
                "2026-08-01 09:00",
                "2026-08-02 09:00",
                "2026-08-03 09:00",
                "2026-08-03 17:00",
            ],
            "2026-10-30 10:00",
            &["2026-08-03 09:00"],
        );
        // A backup dated in the future is kept, and so is the newest one before it.
        check(
            &["2027-01-01 09:00", "2026-11-20 08:00", "2026-11-20 09:00"],
            "2026-11-30 10:00",
            &["2026-11-20 08:00"],
        );
    }

    #[test]
    fn the_newest_is_never_deleted() {
        // Two in the same second: the second one (n = 2) is the newest.
        let at = t("2026-11-30 09:00");
        let stamps = [Stamp { at, n: 2 }, Stamp { at, n: 1 }];
        assert_eq!(to_delete(&stamps, t("2026-12-05 10:00")), vec![1]);
    }

    #[test]
    fn daily_backup_is_due_once_a_day() {
        let now = t("2026-11-30 08:00");
        let cases: &[(Option<&str>, bool)] = &[
            (None, true),
            (Some("2026-11-29 23:59"), true),
            (Some("2026-11-30 00:00"), false),
            (Some("2026-11-30 07:59"), false),
            (Some("2026-12-01 07:59"), false),
        ];
        for (newest, due) in cases {
            assert_eq!(daily_due(newest.map(t), now), *due, "{newest:?}");
        }
    }

    #[test]
    fn age_and_freshness() {
        let now = t("2026-11-30 12:00");
        let cases: &[(Option<&str>, Age, Freshness)] = &[
            (None, Age::Never, Freshness::Missing),
            (Some("2026-11-30 12:00"), Age::JustNow, Freshness::Recent),
            (Some("2026-12-01 12:00"), Age::JustNow, Freshness::Recent),
            (Some("2026-11-30 11:59"), Age::Minutes(1), Freshness::Recent),
            (
                Some("2026-11-30 11:01"),
                Age::Minutes(59),
                Freshness::Recent,
            ),
            (Some("2026-11-30 09:00"), Age::Hours(3), Freshness::Recent),
            (Some("2026-11-28 12:01"), Age::Hours(47), Freshness::Recent),
            (Some("2026-11-28 12:00"), Age::Days(2), Freshness::Stale),
            (Some("2026-11-20 12:00"), Age::Days(10), Freshness::Stale),
        ];
        for (newest, age, fresh) in cases {
            assert_eq!(Age::of(newest.map(t), now), *age, "{newest:?}");
            assert_eq!(freshness(newest.map(t), now), *fresh, "{newest:?}");
        }
    }
}
