//! Decrypted exports: CSV (the contract's columns) and JSON. CSV cells that a spreadsheet would
//! run as a formula are neutralised.

use super::view::SubmissionView;

pub const CSV_HEADER: &str = "id,created_at,name,email,phone,preferred_time,message,status,time_zone";

/// Characters a spreadsheet skips or hides before a cell's first visible one: zero-width and
/// bidi marks, the byte-order mark, the soft hyphen (Unicode's format characters) and spaces.
pub(crate) fn invisible(c: char) -> bool {
    c == ' '
        || matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{FEFF}')
        || ('\u{200B}'..='\u{200F}').contains(&c)
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2060}'..='\u{206F}').contains(&c)
}

/// A cell whose first visible character is `=`, `+`, `-`, `@`, a tab or a carriage return is
/// prefixed with `'` so a spreadsheet shows it as text, unless it is a
/// plain number (an E.164 phone is safe as is).
pub(crate) fn neutralise(cell: &str) -> String {
    let visible = cell.trim_start_matches(invisible);
    let risky = visible.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let plain_number = {
        let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if risky && !plain_number {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// RFC 4180 quoting.
fn field(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

pub fn csv(items: &[SubmissionView]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for s in items {
        let cells = [
            s.id.to_string(),
            s.created_at.clone(),
            neutralise(&s.name),
            neutralise(&s.email),
            neutralise(&s.phone),
            s.preferred_time.clone(),
            neutralise(s.message.as_deref().unwrap_or_default()),
            s.status.clone(),
            s.time_zone.clone(),
        ];
        out.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn json(items: &[SubmissionView]) -> String {
    serde_json::to_string_pretty(items).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("+14158586273"), "+14158586273");
        assert_eq!(neutralise("Ada"), "Ada");
        assert_eq!(field("a,\"b\"\nc"), "\"a,\"\"b\"\"\nc\"");
        // "\u{FEFF}\r": found by the property test, a carriage return behind a byte-order mark.
        for hidden in ["\u{200B}=cmd()", "\u{FEFF}+SUM(A1)", " \u{202E}@x", "\u{2060}-2+3", "\u{FEFF}\r"] {
            assert!(neutralise(hidden).starts_with('\''), "{hidden:?} is neutralised");
        }
    }
}
