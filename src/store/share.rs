//! Refusing a shop's file on a network share. SQLite's locks do not hold over NFS or
//! SMB/CIFS: two programs using the file at once (the window and a command, two
//! computers) corrupt it. On Linux the file system of a path comes from
//! `/proc/self/mountinfo` (no system library needed); other systems are not checked.
//!
//! A line of mountinfo (proc(5)) reads
//! `36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue`:
//! the fifth field is the mount point (spaces and the like written as `\040`), and the
//! field after the lone `-` is the file system type. The deepest mount point that holds
//! the path is its file system; a later line for the same point mounts over an earlier one.

use std::path::{Path, PathBuf};

/// File system types that are network shares.
const NETWORK_FILESYSTEMS: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "ncpfs",
    "afs",
    "fuse.sshfs",
];

/// A network share a path lives on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkMount {
    pub point: PathBuf,
    pub filesystem: String,
}

/// The network share the database at `path` would live on, if any. The path is made
/// absolute through its nearest existing folder (the file may not exist yet).
pub fn network_mount(path: &Path) -> Option<NetworkMount> {
    if !cfg!(target_os = "linux") {
        // Other systems: not checked (no /proc; statfs would need their own code).
        return None;
    }
    let absolute = existing_ancestor(path)?;
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    network_mount_in(&mountinfo, &absolute)
}

/// The canonical form of `path`, or of its nearest existing ancestor.
fn existing_ancestor(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    absolute
        .ancestors()
        .find_map(|p| std::fs::canonicalize(p).ok())
}

/// The network share that holds `path` (absolute), read from the text of mountinfo.
pub fn network_mount_in(mountinfo: &str, path: &Path) -> Option<NetworkMount> {
    let mut best: Option<(PathBuf, String)> = None;
    for line in mountinfo.lines() {
        let mut fields = line.split(' ');
        let Some(point) = fields.nth(4) else {
            continue;
        };
        let Some(filesystem) = fields.skip_while(|f| *f != "-").nth(1) else {
            continue;
        };
        let point = PathBuf::from(unescape(point));
        if !path.starts_with(&point) {
            continue;
        }
        let deeper = best
            .as_ref()
            .is_none_or(|(b, _)| point.components().count() >= b.components().count());
        if deeper {
            best = Some((point, filesystem.to_owned()));
        }
    }
    let (point, filesystem) = best?;
    NETWORK_FILESYSTEMS
        .contains(&filesystem.as_str())
        .then_some(NetworkMount { point, filesystem })
}

/// Undoes mountinfo's octal escapes (`\040` for a space, `\011`, `\012`, `\134`).
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && let Some(code) = bytes
                .get(i + 1..i + 4)
                .and_then(|d| std::str::from_utf8(d).ok())
                .and_then(|d| u8::from_str_radix(d, 8).ok())
        {
            out.push(code);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw
25 22 0:23 / /proc rw,nosuid - proc proc rw
40 22 0:45 / /srv/nas rw,relatime shared:20 - nfs4 nas:/export rw,vers=4.2
41 40 8:17 / /srv/nas/local rw,relatime shared:21 - ext4 /dev/sdb1 rw
42 22 0:46 / /mnt/shop\\040share rw,relatime shared:22 - cifs //server/shop rw,vers=3.0
43 22 0:47 / /mnt/usb rw,relatime shared:23 - vfat /dev/sdc1 rw
44 22 0:48 / /home/shop/remote rw,nosuid shared:24 - fuse.sshfs shop@host:/data rw
45 22 0:49 / /mnt/old rw shared:25 - nfs nas:/old rw
46 22 0:50 / /mnt/old rw shared:26 - ext4 /dev/sdd1 rw
bad line
";

    fn check(path: &str, expected: Option<(&str, &str)>) {
        let got = network_mount_in(MOUNTINFO, Path::new(path));
        let expected = expected.map(|(point, filesystem)| NetworkMount {
            point: PathBuf::from(point),
            filesystem: filesystem.to_owned(),
        });
        assert_eq!(got, expected, "{path}");
    }

    #[test]
    fn network_shares_are_found() {
        check("/home/shop/shopdesk.db", None);
        check("/srv/nas/shop.db", Some(("/srv/nas", "nfs4")));
        check("/srv/nas/a/b/shop.db", Some(("/srv/nas", "nfs4")));
        // A local disk mounted inside the share.
        check("/srv/nas/local/shop.db", None);
        // Not a prefix by components.
        check("/srv/nasty/shop.db", None);
        check("/mnt/shop share/店铺.db", Some(("/mnt/shop share", "cifs")));
        check("/mnt/usb/shop.db", None);
        check(
            "/home/shop/remote/shop.db",
            Some(("/home/shop/remote", "fuse.sshfs")),
        );
        // Mounted over: the later line wins.
        check("/mnt/old/shop.db", None);
    }

    #[test]
    fn octal_escapes() {
        assert_eq!(unescape("/mnt/a\\040b"), "/mnt/a b");
        assert_eq!(unescape("/mnt/tab\\011x"), "/mnt/tab\tx");
        assert_eq!(unescape("/mnt/back\\134slash"), "/mnt/back\\slash");
        assert_eq!(unescape("/mnt/odd\\9"), "/mnt/odd\\9");
    }
}
