//! `ScanError`: one input that could not be read (a file, a blob, standard input, a
//! pack), and why. Sources record them raw; the one place they become text is `Display`,
//! which escapes control characters, so every format that prints one (the terminal,
//! JSON, SARIF notifications) prints it sanitized, once.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::escape::sanitize;

/// An input the scan could not read, or not read whole. The run goes on and exits 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    /// What could not be read (a path, `path in commit ...`, `standard input`); `None`
    /// when the reason names it itself (a pack file, an object id).
    input: Option<String>,
    /// Why, as the underlying error says it.
    reason: String,
}

impl ScanError {
    /// `input` could not be read because of `reason`.
    pub fn new(input: impl Into<String>, reason: impl fmt::Display) -> ScanError {
        ScanError {
            input: Some(input.into()),
            reason: reason.to_string(),
        }
    }

    /// An error whose reason names what failed (`cannot open pack ...`).
    pub fn general(reason: impl fmt::Display) -> ScanError {
        ScanError {
            input: None,
            reason: reason.to_string(),
        }
    }

    /// What could not be read, unsanitized.
    pub fn input(&self) -> Option<&str> {
        self.input.as_deref()
    }

    /// Why, unsanitized.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

// Sources that still build their message as one string (history) record it whole.
impl From<String> for ScanError {
    fn from(reason: String) -> ScanError {
        ScanError::general(reason)
    }
}

/// `input: reason` (or the reason alone), control characters escaped.
impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.input {
            Some(input) => write!(f, "{}: {}", sanitize(input), sanitize(&self.reason)),
            None => f.write_str(&sanitize(&self.reason)),
        }
    }
}

/// JSON carries the printed (sanitized) text, as it always has.
impl Serialize for ScanError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_once_sanitized() {
        let e = ScanError::new("a\u{1b}[31m.env", "permission denied\u{7}");
        let shown = e.to_string();
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown}"
        );
        assert!(shown.starts_with("a") && shown.contains(".env: permission denied"));
        assert_eq!(e.input(), Some("a\u{1b}[31m.env"));
        assert_eq!(serde_json::to_value(&e).unwrap(), serde_json::json!(shown));
        let g = ScanError::general("cannot open pack x.idx: gone");
        assert_eq!(g.to_string(), "cannot open pack x.idx: gone");
        assert_eq!(g.input(), None);
    }
}
