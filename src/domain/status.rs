/// Where a submission stands in the admin's triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    New,
    Contacted,
    Closed,
    Spam,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::New, Status::Contacted, Status::Closed, Status::Spam];

    pub fn parse(raw: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Contacted => "contacted",
            Status::Closed => "closed",
            Status::Spam => "spam",
        }
    }
}
