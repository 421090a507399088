//! What is due in a manifest (`nhi check`): stale reviews, overdue rotations, expired
//! identities and credentials, placeholders left by `nhi init`.

use serde::Serialize;

use crate::date::Date;
use crate::nhi::manifest::Manifest;

/// Placeholder values `nhi init` writes; an identity still carrying one has no real owner.
pub const PLACEHOLDER: &str = "TODO";

/// Something due in the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Due {
    /// `review-stale`, `rotation-overdue`, `expired`, `no-owner`, `rotation-unknown`.
    pub kind: &'static str,
    /// The identity.
    pub identity: String,
    /// The credential, for rotation items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// When it fell (or falls) due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// What to do.
    pub message: String,
    /// The control it serves.
    pub control: &'static str,
    /// Manifest file and line.
    pub file: String,
    /// Line of the identity or credential.
    pub line: usize,
    /// Whether it fails `nhi check` (notes do not).
    pub counts: bool,
}

/// Whether an owner or purpose is missing or still the `nhi init` placeholder.
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    t.is_empty() || t.eq_ignore_ascii_case(PLACEHOLDER)
}

/// Everything due in `m` on `today`, in manifest order.
pub fn due_items(m: &Manifest, today: Date) -> Vec<Due> {
    let mut out = Vec::new();
    for i in &m.identities {
        let base =
            |kind, credential: Option<&str>, due, message: String, control, line, counts| Due {
                kind,
                identity: i.id.clone(),
                credential: credential.map(str::to_owned),
                due,
                message,
                control,
                file: i.file.clone(),
                line,
                counts,
            };
        if is_placeholder(&i.owner) || is_placeholder(&i.purpose) {
            out.push(base(
                "no-owner",
                None,
                None,
                "owner or purpose is still TODO: name the owning team and what the identity is for"
                    .to_owned(),
                "CIS 5.5",
                i.line,
                true,
            ));
        }
        match (i.review.last_reviewed, i.review_due()) {
            (Some(last), Some(due)) if due < today => out.push(base(
                "review-stale",
                None,
                Some(due),
                format!(
                    "review overdue: last reviewed {last}, due {due} ({} days late)",
                    due.days_until(today)
                ),
                "CIS 5.5, NIST PR.AA-01",
                i.line,
                true,
            )),
            // Never reviewed: due now (issue 12, item 21).
            (None, _) => out.push(base(
                "never-reviewed",
                None,
                None,
                "never reviewed: review it, then set review = { last_reviewed = YYYY-MM-DD }"
                    .to_owned(),
                "CIS 5.5, NIST PR.AA-01",
                i.line,
                true,
            )),
            _ => {}
        }
        if let Some(e) = i.expires.filter(|_| i.expired(today)) {
            out.push(base(
                "expired",
                None,
                Some(e),
                format!("identity expired on {e}: retire it and revoke its credentials"),
                "OWASP NHI1",
                i.line,
                true,
            ));
        }
        for c in &i.credentials {
            match c.rotation_due() {
                Some(d) if d < today => out.push(base(
                    "rotation-overdue",
                    Some(&c.name),
                    Some(d),
                    format!(
                        "rotation overdue: `{}` last rotated {}, due {} ({} days late)",
                        c.name,
                        c.rotation
                            .last_rotated
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        d,
                        d.days_until(today)
                    ),
                    "PCI DSS 8.6.3, OWASP NHI7",
                    c.line,
                    true,
                )),
                Some(_) => {}
                None if i.status != "retired" => out.push(base(
                    "rotation-unknown",
                    Some(&c.name),
                    None,
                    format!(
                        "`{}` has no rotation.last_rotated: record when it was last rotated",
                        c.name
                    ),
                    "PCI DSS 8.6.3",
                    c.line,
                    false,
                )),
                None => {}
            }
            if let Some(e) = c.expires.filter(|_| c.expired(today)) {
                out.push(base(
                    "expired",
                    Some(&c.name),
                    Some(e),
                    format!("credential `{}` expired on {e}: revoke it", c.name),
                    "OWASP NHI7",
                    c.line,
                    true,
                ));
            }
        }
    }
    out
}
