//! Parsing and validation of one manifest file: every problem with file, line and field,
//! all of a file's problems at once, and no secret values (checked with the scan's rules
//! through [`Scanner`], which the caller provides).

use std::collections::HashMap;

use toml::Spanned;

use super::model::{
    Credential, Identity, ManifestError, ManifestFile, PathPatterns, Review, RotationPolicy,
    Selector, KINDS, STATUSES,
};
use super::schema::{RawCredential, RawFile, RawIdentity, RawMatch, RawReview};
use crate::date::Date;
use crate::finding::Finding;
use crate::rules::{id_selects, RulePack};

/// Collects problems for one file.
struct Lint<'a> {
    file: &'a str,
    text: &'a str,
    /// Line starts of `text`, indexed once: a manifest of 10,000 identities asks for
    /// tens of thousands of line numbers (counting newlines each time was quadratic).
    lines: crate::finding::LineIndex<'a>,
    errors: Vec<ManifestError>,
}

impl Lint<'_> {
    fn err(&mut self, at: Option<usize>, field: &str, message: impl Into<String>) {
        self.errors.push(ManifestError {
            file: self.file.to_owned(),
            line: at.map(|a| self.lines.line(a)),
            field: (!field.is_empty()).then(|| field.to_owned()),
            message: message.into(),
        });
    }

    fn date(&mut self, v: &Spanned<toml::Value>, field: &str) -> Option<Date> {
        let at = Some(v.span().start);
        let parsed = match v.get_ref() {
            toml::Value::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => Date::new(i32::from(d.year), d.month, d.day),
                _ => None,
            },
            toml::Value::String(s) => Date::parse(s).filter(|_| s.trim().len() == 10),
            _ => None,
        };
        if parsed.is_none() {
            self.err(
                at,
                field,
                "expected a date such as 2026-10-01 (a TOML date or a \"YYYY-MM-DD\" string)",
            );
        }
        parsed
    }

    fn days(&mut self, v: &Spanned<i64>, field: &str) -> Option<u32> {
        match u32::try_from(*v.get_ref()) {
            Ok(d) if (1..=36_600).contains(&d) => Some(d),
            _ => {
                self.err(
                    Some(v.span().start),
                    field,
                    "expected a number of days between 1 and 36600",
                );
                None
            }
        }
    }

    fn required(
        &mut self,
        v: &Option<Spanned<String>>,
        table_at: usize,
        field: &str,
        why: &str,
    ) -> String {
        match v {
            Some(s) if !s.get_ref().trim().is_empty() => s.get_ref().trim().to_owned(),
            Some(s) => {
                self.err(Some(s.span().start), field, format!("is empty ({why})"));
                String::new()
            }
            None => {
                self.err(
                    Some(table_at),
                    field,
                    format!("missing required field ({why})"),
                );
                String::new()
            }
        }
    }
}

fn is_slug(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"-_.".contains(c))
}

fn is_fingerprint(s: &str) -> bool {
    s.strip_prefix("kt1:").is_some_and(|h| {
        h.len() == 32
            && h.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    })
}

/// Whether a rule finds public identifiers (an access key id), which a manifest may name.
pub fn is_public_id_rule(rule_id: &str) -> bool {
    rule_id.contains("key-id") || rule_id.contains("access-id")
}

/// What the manifest linter needs of a scanner, handed in by the caller (the configuration
/// wraps the scan engine): the manifest parser checks with the scan's own rules, but never
/// depends on the scanner.
pub trait Scanner {
    /// The rules in effect: a `match.rules` selector must name one of them.
    fn pack(&self) -> &RulePack;
    /// What the rules find in `data` (a manifest's text, or one key id), as from `path`.
    fn findings(&self, data: &[u8], path: &str) -> Vec<Finding>;
}

/// Parses and validates one manifest's text. `scanner` (the scan's rules) checks that the
/// manifest holds no secret and that rule selectors name real rules; without it those
/// checks are skipped.
pub fn parse_manifest(
    file: &str,
    text: &str,
    scanner: Option<&dyn Scanner>,
) -> Result<ManifestFile, Vec<ManifestError>> {
    let mut lint = Lint {
        file,
        text,
        lines: crate::finding::LineIndex::new(text.as_bytes()),
        errors: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let at = e.span().map(|s| s.start);
            let msg = e.message().trim().to_owned();
            let field = unknown_field(&msg);
            lint.err(at, field.as_deref().unwrap_or(""), msg);
            return Err(lint.errors);
        }
    };
    if let Some(v) = &raw.version {
        if *v.get_ref() != 1 {
            lint.err(
                Some(v.span().start),
                "version",
                "unsupported version (this keytrace reads version = 1)",
            );
        }
    }
    let mut defaults = (None, None);
    if let Some(d) = &raw.defaults {
        if let Some(v) = &d.review_interval_days {
            defaults.0 = lint.days(v, "defaults.review_interval_days");
        }
        if let Some(v) = &d.rotation_period_days {
            defaults.1 = lint.days(v, "defaults.rotation_period_days");
        }
    }
    let mut identities = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for ident in &raw.identity {
        identities.extend(parse_identity(&mut lint, ident, &mut seen, scanner));
    }
    if let Some(scanner) = scanner {
        check_no_secrets(&mut lint, &raw, scanner);
    }
    if lint.errors.is_empty() {
        Ok(ManifestFile {
            identities,
            defaults,
        })
    } else {
        lint.errors.sort_by_key(|e| e.line);
        Err(lint.errors)
    }
}

/// Parses and validates one `[[identity]]` table (None when it cannot become an identity;
/// its problems are in `lint`). `seen` maps ids to the line that first defined them.
fn parse_identity(
    lint: &mut Lint<'_>,
    ident: &Spanned<RawIdentity>,
    seen: &mut HashMap<String, usize>,
    scanner: Option<&dyn Scanner>,
) -> Option<Identity> {
    let at = ident.span().start;
    let line = lint.lines.line(at);
    let r = ident.get_ref();
    let id = lint.required(&r.id, at, "identity.id", "a unique slug");
    if let Some(s) = &r.id {
        if !id.is_empty() && !is_slug(&id) {
            lint.err(
                Some(s.span().start),
                "identity.id",
                format!("`{id}` is not a slug (lowercase letters, digits, `-`, `_`, `.`)"),
            );
        }
        if let Some(prev) = seen.get(&id) {
            lint.err(
                Some(s.span().start),
                "identity.id",
                format!("duplicate id `{id}` (first defined on line {prev})"),
            );
        } else if !id.is_empty() {
            seen.insert(id.clone(), lint.lines.line(s.span().start));
        }
    }
    let field = |f: &str| format!("identity.{f}");
    let kind = lint.required(&r.kind, at, &field("kind"), "the kind of identity");
    if let Some(s) = &r.kind {
        if !kind.is_empty() && !KINDS.contains(&kind.as_str()) {
            lint.err(
                Some(s.span().start),
                &field("kind"),
                format!("unknown kind `{kind}` (one of: {})", KINDS.join(", ")),
            );
        }
    }
    let owner = lint.required(
        &r.owner,
        at,
        &field("owner"),
        "CIS 5.5: every service account has an owner",
    );
    let purpose = lint.required(
        &r.purpose,
        at,
        &field("purpose"),
        "CIS 5.5: every service account has a stated purpose",
    );
    let status = match &r.status {
        Some(s) => {
            let v = s.get_ref().trim().to_owned();
            if !STATUSES.contains(&v.as_str()) {
                lint.err(
                    Some(s.span().start),
                    &field("status"),
                    format!("unknown status `{v}` (one of: {})", STATUSES.join(", ")),
                );
            }
            v
        }
        None => "active".to_owned(),
    };
    let review = parse_review(lint, r.review.as_ref(), at);
    let expires = r
        .expires
        .as_ref()
        .and_then(|v| lint.date(v, &field("expires")));
    let mut credentials = Vec::new();
    for (ci, cred) in r.credential.iter().enumerate() {
        if let Some(c) = parse_credential(lint, cred, ci, scanner) {
            credentials.push(c);
        }
    }
    review.map(|review| Identity {
        id,
        kind,
        owner,
        purpose,
        contacts: r.contacts.clone(),
        provider: r.provider.clone(),
        principal: r.principal.clone(),
        environments: r.environments.clone(),
        status,
        review,
        expires,
        runbook: r.runbook.clone(),
        credentials,
        file: lint.file.to_owned(),
        line,
    })
}

/// The identity's `review` table (None when it is unusable; the problem is in `lint`).
/// `review` and `review.last_reviewed` are optional: an identity without them was never
/// reviewed (issue 12, item 21), which `nhi check` and the report count as due.
fn parse_review(
    lint: &mut Lint<'_>,
    review: Option<&Spanned<RawReview>>,
    _at: usize,
) -> Option<Review> {
    let field = |f: &str| format!("identity.{f}");
    let Some(rv) = review else {
        return Some(Review::default());
    };
    let rr = rv.get_ref();
    let interval = rr
        .interval_days
        .as_ref()
        .and_then(|v| lint.days(v, &field("review.interval_days")));
    let last = match &rr.last_reviewed {
        Some(v) => Some(lint.date(v, &field("review.last_reviewed"))?),
        None => None,
    };
    Some(Review {
        last_reviewed: last,
        reviewed_by: rr.reviewed_by.clone(),
        // 0 marks "not set": filled from [defaults] when merging.
        interval_days: interval.unwrap_or(0),
    })
}

/// The field named by a serde "unknown field `x`" or "missing field `x`" message.
fn unknown_field(msg: &str) -> Option<String> {
    let rest = msg
        .strip_prefix("unknown field `")
        .or_else(|| msg.strip_prefix("missing field `"))?;
    Some(rest.split('`').next()?.to_owned())
}

fn parse_credential(
    lint: &mut Lint<'_>,
    cred: &Spanned<RawCredential>,
    index: usize,
    scanner: Option<&dyn Scanner>,
) -> Option<Credential> {
    let at = cred.span().start;
    let c = cred.get_ref();
    let f = |x: &str| format!("identity.credential.{x}");
    let mut ok = true;
    let mut selector = Selector::default();
    match &c.selector {
        None => {
            lint.err(
                Some(at),
                &f("match"),
                "missing required field (rules, paths, key_ids, fingerprints, accounts, principals, hosts or public_keys)",
            );
            ok = false;
        }
        Some(m) => {
            let mr = m.get_ref();
            if mr.rules.is_empty()
                && mr.paths.is_empty()
                && mr.key_ids.is_empty()
                && mr.fingerprints.is_empty()
                && mr.accounts.is_empty()
                && mr.principals.is_empty()
                && mr.hosts.is_empty()
                && mr.public_keys.is_empty()
            {
                lint.err(
                    Some(m.span().start),
                    &f("match"),
                    "selects nothing: give rules, paths, key_ids, fingerprints, accounts, principals, hosts or public_keys",
                );
                ok = false;
            }
            for r in &mr.rules {
                let sel = r.get_ref().trim();
                let known = scanner.is_none_or(|e| selects_any(e.pack(), sel));
                if sel.is_empty() || !known {
                    lint.err(
                        Some(r.span().start),
                        &f("match.rules"),
                        format!("`{sel}` is no rule id or prefix (see `keytrace rules list`)"),
                    );
                    ok = false;
                }
                selector.rules.push(sel.to_owned());
            }
            let mut pats = Vec::new();
            for p in &mr.paths {
                if let Err(e) = crate::pathmatch::check(p.get_ref()) {
                    lint.err(Some(p.span().start), &f("match.paths"), e);
                    ok = false;
                }
                pats.push(p.get_ref().clone());
            }
            if ok {
                selector.paths = PathPatterns::new(&pats).unwrap_or_default();
            }
            for k in &mr.key_ids {
                let v = k.get_ref().trim();
                if v.len() < 4 || !v.bytes().all(|b| b.is_ascii_graphic()) {
                    lint.err(
                        Some(k.span().start),
                        &f("match.key_ids"),
                        "a key id is a public identifier or suffix of at least 4 printable characters",
                    );
                    ok = false;
                }
                selector.key_ids.push(v.to_owned());
            }
            for fp in &mr.fingerprints {
                let v = fp.get_ref().trim();
                if !is_fingerprint(v) {
                    lint.err(
                        Some(fp.span().start),
                        &f("match.fingerprints"),
                        "expected `kt1:` and 32 lowercase hex digits (see `keytrace fingerprint`)",
                    );
                    ok = false;
                }
                selector.fingerprints.push(v.to_owned());
            }
            ok &= parse_facts_selectors(lint, mr, &mut selector);
        }
    }
    let mut rotation = RotationPolicy::default();
    let mut expires = None;
    if let Some(rot) = &c.rotation {
        let rr = rot.get_ref();
        if let Some(p) = &rr.period_days {
            rotation.period_days = lint.days(p, &f("rotation.period_days")).unwrap_or(0);
        }
        if let Some(d) = &rr.last_rotated {
            rotation.last_rotated = lint.date(d, &f("rotation.last_rotated"));
            ok &= rotation.last_rotated.is_some();
        }
        rotation.runbook = rr.runbook.clone();
    }
    if let Some(e) = &c.expires {
        expires = lint.date(e, &f("expires"));
        ok &= expires.is_some();
    }
    ok.then(|| Credential {
        name: c
            .name
            .clone()
            .unwrap_or_else(|| format!("credential-{}", index + 1)),
        selector,
        rotation,
        expires,
        line: lint.lines.line(at),
    })
}

/// The selectors on a credential's facts (`accounts`, `principals`, `hosts`,
/// `public_keys`), each value checked; false when one is malformed.
fn parse_facts_selectors(lint: &mut Lint<'_>, mr: &RawMatch, selector: &mut Selector) -> bool {
    let f = |x: &str| format!("identity.credential.{x}");
    let mut ok = true;
    let facts_fields: [FactsField<'_>; 4] = [
        (
            "accounts",
            &mr.accounts,
            check_account,
            &mut selector.accounts,
        ),
        (
            "principals",
            &mr.principals,
            check_principal,
            &mut selector.principals,
        ),
        ("hosts", &mr.hosts, check_host, &mut selector.hosts),
        (
            "public_keys",
            &mr.public_keys,
            check_public_key,
            &mut selector.public_keys,
        ),
    ];
    for (name, values, check, out) in facts_fields {
        for v in values {
            let t = v.get_ref().trim();
            if let Err(why) = check(t) {
                lint.err(Some(v.span().start), &f(&format!("match.{name}")), why);
                ok = false;
            }
            out.push(t.to_owned());
        }
    }
    ok
}

/// A facts selector field: its name, its values, their check, where they go.
type FactsField<'a> = (
    &'static str,
    &'a Vec<Spanned<String>>,
    fn(&str) -> Result<(), &'static str>,
    &'a mut Vec<String>,
);

/// An account: an AWS account id (12 digits), a storage account, a project id; one
/// printable word.
fn check_account(v: &str) -> Result<(), &'static str> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            "an account is one printable word (an AWS account id, a storage account, a project id)",
        );
    }
    if v.bytes().all(|b| b.is_ascii_digit()) && v.len() != 12 {
        return Err("an AWS account id has 12 digits");
    }
    Ok(())
}

/// A principal: an email, an ARN, a user name; printable, no spaces at the ends.
fn check_principal(v: &str) -> Result<(), &'static str> {
    if v.is_empty() || v.chars().any(char::is_control) {
        return Err("a principal is a non-empty name (a service account email, an ARN, a user)");
    }
    Ok(())
}

/// A host name or address, optionally `*.` for any subdomain.
fn check_host(v: &str) -> Result<(), &'static str> {
    let body = v.strip_prefix("*.").unwrap_or(v);
    if body.is_empty()
        || !body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'[' | b']')
        })
    {
        return Err("a host is a name or address (`db.internal`, `10.0.0.5`, `*.example.com`), without scheme or port");
    }
    Ok(())
}

/// `SHA256:` and 43 unpadded base64 characters (`ssh-keygen -lf`), or a PGP fingerprint
/// (40 or 64 hex digits).
fn check_public_key(v: &str) -> Result<(), &'static str> {
    let ssh = v.strip_prefix("SHA256:").is_some_and(|b| {
        b.len() == 43
            && b.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
    });
    let pgp = (v.len() == 40 || v.len() == 64) && v.bytes().all(|c| c.is_ascii_hexdigit());
    if ssh || pgp {
        Ok(())
    } else {
        Err("expected `SHA256:` and 43 base64 characters as `ssh-keygen -lf` prints them, or a PGP fingerprint (40 or 64 hex digits)")
    }
}

fn selects_any(pack: &RulePack, selector: &str) -> bool {
    pack.rules()
        .iter()
        .any(|r| id_selects(selector, &r.spec.id))
}

/// Rejects any value the rule pack would report, except `key_ids` values that are public
/// identifiers and fingerprints.
fn check_no_secrets(lint: &mut Lint<'_>, raw: &RawFile, scanner: &dyn Scanner) {
    // Blank the exempt values (same length, so lines and columns stay put), scan the rest.
    let mut bytes = lint.text.as_bytes().to_vec();
    let mut key_ids = Vec::new();
    for ident in &raw.identity {
        for cred in &ident.get_ref().credential {
            let Some(m) = &cred.get_ref().selector else {
                continue;
            };
            let mr = m.get_ref();
            // Public identifiers, not secrets: a `SHA256:` fingerprint or an account id
            // can look random enough for a generic rule.
            for v in mr
                .key_ids
                .iter()
                .chain(&mr.fingerprints)
                .chain(&mr.public_keys)
                .chain(&mr.accounts)
            {
                let span = v.span();
                for b in &mut bytes[span.start + 1..span.end.saturating_sub(1).max(span.start + 1)]
                {
                    if !b.is_ascii_whitespace() {
                        *b = b'x';
                    }
                }
            }
            key_ids.extend(m.get_ref().key_ids.iter());
        }
    }
    let found = scanner.findings(&bytes, lint.file);
    for f in &found {
        lint.errors.push(ManifestError {
            file: lint.file.to_owned(),
            line: Some(f.line),
            field: None,
            message: format!(
                "this looks like a secret ({}, {}): a manifest holds no secret values; \
                 select the credential by its fingerprint (`keytrace fingerprint`), rule or path",
                f.rule_id, f.redacted
            ),
        });
    }
    // A key id must itself be public: scanned alone, only key-id rules may match it.
    for k in key_ids {
        let v = k.get_ref().trim().as_bytes();
        let found = scanner.findings(v, lint.file);
        if let Some(f) = found.iter().find(|f| !is_public_id_rule(&f.rule_id)) {
            lint.err(
                Some(k.span().start),
                "identity.credential.match.key_ids",
                format!(
                    "this looks like a secret ({}, {}), not a public key id: \
                     use its fingerprint (`keytrace fingerprint`) instead",
                    f.rule_id, f.redacted
                ),
            );
        }
    }
}
