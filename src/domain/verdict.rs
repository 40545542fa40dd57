/// How a phone number was checked; stored beside the submission, not secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneVerdict {
    Verified,
    Unverified,
    NotChecked,
}

impl PhoneVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneVerdict::Verified => "verified",
            PhoneVerdict::Unverified => "unverified",
            PhoneVerdict::NotChecked => "not_checked",
        }
    }
}
