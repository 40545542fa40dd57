//! An admin's account name and role, parsed once.

use crate::i18n::Msg;
use serde::Serialize;

/// What an admin may do: each role may do everything the one before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads the list and the details.
    Viewer,
    /// Also adds notes and changes status.
    Editor,
    /// Also deletes, exports, handles one person's data, reads the audit log, manages users.
    Owner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Editor, Role::Viewer];

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }
}

/// An admin's sign-in name: 1 to 64 of `a-z 0-9 . _ -`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

impl UserName {
    pub fn parse(raw: &str) -> Result<UserName, Msg> {
        let name = raw.trim();
        if name.is_empty() || name.len() > 64 {
            return Err(Msg("users-name-rule"));
        }
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')) {
            return Err(Msg("users-name-rule"));
        }
        Ok(UserName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_roles_parse_once() {
        assert_eq!(UserName::parse(" ada.l-2_x ").unwrap().as_str(), "ada.l-2_x");
        for bad in ["", "Ada", "ada lovelace", "ada@example", &"a".repeat(65), "ädä"] {
            assert!(UserName::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Role::parse("editor"), Some(Role::Editor));
        assert_eq!(Role::parse("admin"), None);
        assert!(Role::Owner > Role::Editor && Role::Editor > Role::Viewer);
    }
}
