//! The station's beeps, played through a player the system has, when it has one: ShopDesk
//! links no sound library, so a fresh machine builds it with Rust and a C compiler alone.
//! The sounds are made here as small WAV files (a sine tone) and written once to the
//! temporary folder; each is played on a short-lived thread so a frame never waits.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What happened, as the packer should hear it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Beep {
    /// A stop: wrong item, one too many, an order that must not leave. Low, long, twice.
    Stop,
    /// The parcel passed and shipped. High and short.
    Passed,
}

const RATE: u32 = 16_000;

/// A mono 16-bit WAV of tones `(frequency Hz, milliseconds)`; a frequency of 0 is silence.
pub fn wav(tones: &[(f32, u32)]) -> Vec<u8> {
    let mut samples: Vec<i16> = Vec::new();
    for &(frequency, ms) in tones {
        let n = RATE * ms / 1000;
        for i in 0..n {
            let t = i as f32 / RATE as f32;
            // A short fade at both ends keeps the speaker from clicking.
            let edge = (i.min(n - i) as f32 / (RATE as f32 * 0.005)).min(1.0);
            let value = if frequency > 0.0 {
                (t * frequency * std::f32::consts::TAU).sin() * 0.5 * edge
            } else {
                0.0
            };
            samples.push((value * i16::MAX as f32) as i16);
        }
    }
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

fn tones(beep: Beep) -> &'static [(f32, u32)] {
    match beep {
        Beep::Stop => &[(440.0, 260), (0.0, 80), (330.0, 420)],
        Beep::Passed => &[(1320.0, 90)],
    }
}

/// The sound's file in the temporary folder, written when missing.
fn file(beep: Beep) -> std::io::Result<PathBuf> {
    let name = match beep {
        Beep::Stop => "shopdesk-stop.wav",
        Beep::Passed => "shopdesk-passed.wav",
    };
    let path = std::env::temp_dir().join(name);
    if !path.exists() {
        std::fs::write(&path, wav(tones(beep)))?;
    }
    Ok(path)
}

/// The players tried in turn, with their arguments before the file.
fn players() -> &'static [(&'static str, &'static [&'static str])] {
    if cfg!(target_os = "macos") {
        &[("afplay", &[])]
    } else if cfg!(windows) {
        &[]
    } else {
        &[("paplay", &[]), ("pw-play", &[]), ("aplay", &["-q"])]
    }
}

/// Plays a beep without waiting for it. A machine without a player stays silent: the red
/// panel says it all the same.
pub fn play(beep: Beep) {
    let spawned = std::thread::Builder::new()
        .name("shopdesk-beep".to_owned())
        .spawn(move || {
            let Ok(path) = file(beep) else {
                return;
            };
            if cfg!(windows) {
                let script = format!(
                    "(New-Object Media.SoundPlayer '{}').PlaySync()",
                    path.display()
                );
                let _ = Command::new("powershell")
                    .args(["-NoProfile", "-Command", &script])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                return;
            }
            for (player, args) in players() {
                let status = Command::new(player)
                    .args(*args)
                    .arg(&path)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                if status.is_ok_and(|s| s.success()) {
                    return;
                }
            }
        });
    // No thread, no sound: the panel still shows the stop.
    drop(spawned);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_beeps_are_valid_wav_files_of_their_length() {
        for beep in [Beep::Stop, Beep::Passed] {
            let bytes = wav(tones(beep));
            assert_eq!(&bytes[..4], b"RIFF");
            assert_eq!(&bytes[8..16], b"WAVEfmt ");
            let ms: u32 = tones(beep).iter().map(|t| t.1).sum();
            let data = u32::from_le_bytes([bytes[40], bytes[41], bytes[42], bytes[43]]);
            assert_eq!(data, RATE * ms / 1000 * 2, "{beep:?}");
            assert_eq!(bytes.len(), 44 + data as usize);
        }
    }
}
