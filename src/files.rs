//! Files that hold secrets or personal data: readable by their owner only, whatever the umask
//! (outside systemd it is usually 022, which would make them world-readable).

use std::fs::{self, DirBuilder, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates `dir` and any missing parent as 0700; a directory that exists is left as it is.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// Creates an empty file 0600 where none is, or narrows an existing one to 0600.
pub fn ensure_private_file(path: &Path) -> io::Result<()> {
    match create_new_private_file(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => narrow(path),
        Err(e) => Err(e),
    }
}

/// Takes the group's and others' permissions away from a file that has any.
pub fn narrow(path: &Path) -> io::Result<()> {
    let mode = fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        fs::set_permissions(path, Permissions::from_mode(mode & 0o700))?;
    }
    Ok(())
}

/// Creates a new, empty file 0600; refuses to touch one that exists.
pub fn create_new_private_file(path: &Path) -> io::Result<fs::File> {
    OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}
