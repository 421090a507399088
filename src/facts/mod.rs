//! Facts: what a credential says about its owner and its reach, read offline from the
//! matched secret and the text around it (a key id's account, a service account's email,
//! a private key's public fingerprint, a JWT's claims, a connection string's user and
//! host, a token prefix's kind). Never the secret: every fact is an identifier, a public
//! key's fingerprint, a name or a date, and no network call is made.
//!
//! One extractor per format, each in its own file with the source of the format it reads:
//! [`aws`], [`google`], [`jwt`], [`keys`] (SSH, PKCS#1, PKCS#8, SEC1, OpenSSH), [`pgp`],
//! [`conn`] (URLs, ADO/ODBC/JDBC, Azure storage and SAS) and [`tokens`] (provider prefixes).

pub mod aws;
pub mod conn;
pub mod google;
pub mod jwt;
pub mod keys;
pub mod pgp;
pub mod tokens;

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// How much a credential can do, judged from its format alone (a hint, not a policy read
/// from the provider). Ordered from the widest reach to the narrowest.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Privilege {
    /// Everything the account can do: a classic PAT, a full secret key, an admin key, a
    /// root-looking principal.
    Broad,
    /// Acts as a person: a user OAuth token, a personal access token.
    User,
    /// Scoped by construction: a fine-grained or restricted token, a deploy token, a
    /// publishable or test-mode key.
    Narrow,
    /// Acts as a bot or app installation, within what the app was granted.
    Bot,
}

impl Privilege {
    /// Reach within a severity (`Finding::reach`): broad and user-scoped credentials first.
    pub fn rank(self) -> i32 {
        match self {
            Privilege::Broad => 2,
            Privilege::User => 1,
            Privilege::Narrow => -1,
            Privilege::Bot => -1,
        }
    }
}

/// What the credential says about itself. Every field is optional; empty facts are not
/// serialized. Field names are a public contract (JSON `facts`, SARIF properties).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Facts {
    /// The token's kind (`personal-access-token`, `bot-token`, `live-secret-key`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `long-lived` or `temporary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime: Option<String>,
    /// Reach judged from the format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privilege: Option<Privilege>,
    /// The provider account (AWS account id, Azure storage account, Twilio account SID,
    /// Slack team id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The provider-side principal (a service account email, a JWT subject).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// The project (Google Cloud project id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// The user name of a connection string or URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The host of a connection string or URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Its port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The database (or virtual host) it opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// A public key id: an AWS access key id, a Google `private_key_id`, a PGP key id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// The public key's fingerprint: `SHA256:...` as `ssh-keygen -lf` prints it, or a
    /// PGP fingerprint in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_fingerprint: Option<String>,
    /// Key type (`RSA`, `ECDSA`, `ED25519`, as `ssh-keygen -lf` names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_type: Option<String>,
    /// Key size in bits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_bits: Option<u32>,
    /// The key's comment (an OpenSSH key's `user@host`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// PGP user ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_ids: Vec<String>,
    /// A JWT's issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// A JWT's audience (several joined with `,`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// Scopes or role claims (a JWT's `scope`/`scp`/`role`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// A SAS token's permissions (`sp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<String>,
    /// A SAS token's resource (`sr`) or services and resource types (`ss`/`srt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// When it was issued (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    /// When it expires (RFC 3339 or a date, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

impl Facts {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Facts::default()
    }

    /// The expiry date, when one is known and readable.
    pub fn expiry_date(&self) -> Option<Date> {
        self.expires.as_deref().and_then(Date::parse)
    }

    /// Whether the credential's own expiry is before `today`.
    pub fn expired(&self, today: Date) -> bool {
        self.expiry_date().is_some_and(|d| d < today)
    }

    /// The identifiers a manifest's `principals` selector compares: the principal, the
    /// connection user, the comment and PGP user ids.
    pub fn principals(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        out.extend(self.principal.as_deref());
        out.extend(self.user.as_deref());
        out.extend(self.comment.as_deref());
        out.extend(self.user_ids.iter().map(String::as_str));
        out
    }

    /// One line for people: `key=value` pairs in a fixed order, values as read.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        };
        put("kind", self.kind.clone());
        put("lifetime", self.lifetime.clone());
        put(
            "privilege",
            self.privilege.and_then(|p| {
                serde_json::to_value(p)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
            }),
        );
        put("account", self.account.clone());
        put("principal", self.principal.clone());
        put("project", self.project.clone());
        put("user", self.user.clone());
        put("host", self.host.clone());
        put("port", self.port.map(|p| p.to_string()));
        put("database", self.database.clone());
        put("key_id", self.key_id.clone());
        put("key", self.key_fingerprint.clone());
        put("key_type", self.key_type.clone());
        put("bits", self.key_bits.map(|b| b.to_string()));
        put("comment", self.comment.clone());
        if !self.user_ids.is_empty() {
            put("user_ids", Some(self.user_ids.join("; ")));
        }
        put("issuer", self.issuer.clone());
        put("audience", self.audience.clone());
        put("scope", self.scope.clone());
        put("permissions", self.permissions.clone());
        put("resource", self.resource.clone());
        put("issued", self.issued.clone());
        put("expires", self.expires.clone());
        parts.join(" ")
    }

    /// Fills every field `self` lacks from `other`.
    fn fill_from(&mut self, other: Facts) {
        macro_rules! fill {
            ($($f:ident),*) => { $( if self.$f.is_none() { self.$f = other.$f; } )* };
        }
        fill!(
            kind,
            lifetime,
            privilege,
            account,
            principal,
            project,
            user,
            host,
            port,
            database,
            key_id,
            key_fingerprint,
            key_type,
            key_bits,
            comment,
            issuer,
            audience,
            scope,
            permissions,
            resource,
            issued,
            expires
        );
        if self.user_ids.is_empty() {
            self.user_ids = other.user_ids;
        }
    }
}

/// The secret and where it sits: the scanned bytes and the secret's byte range in them.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    data: &'a [u8],
    start: usize,
    end: usize,
}

impl<'a> Context<'a> {
    /// The secret at `start..end` of `data` (clamped to `data`).
    pub fn new(data: &'a [u8], start: usize, end: usize) -> Context<'a> {
        let end = end.min(data.len());
        Context {
            data,
            start: start.min(end),
            end,
        }
    }

    /// The text from `lines` lines before the secret's line to `lines` lines after its
    /// last line (at most 4 KiB each way), and the secret's offset in it.
    pub fn around(&self, lines: usize) -> (&'a str, usize) {
        self.around_within(lines, 4 * 1024)
    }

    /// [`Context::around`] with its own cap in bytes each way: the cap keeps a file of
    /// one huge line (minified, generated) from costing more than a few KiB per finding.
    pub fn around_within(&self, lines: usize, cap: usize) -> (&'a str, usize) {
        let mut from = self.start;
        let floor = self.start.saturating_sub(cap);
        let mut seen = 0;
        while from > floor {
            if self.data[from - 1] == b'\n' {
                if seen == lines {
                    break;
                }
                seen += 1;
            }
            from -= 1;
        }
        let mut to = self.end;
        let ceil = (self.end + cap).min(self.data.len());
        let mut seen = 0;
        while to < ceil {
            if self.data[to] == b'\n' {
                if seen == lines {
                    break;
                }
                seen += 1;
            }
            to += 1;
        }
        let text = valid_utf8(&self.data[from..to]);
        (text, (self.start - from).min(text.len()))
    }

    /// The secret's own line(s), at most 1 KiB each way.
    pub fn line(&self) -> &'a str {
        self.around_within(0, 1024).0
    }

    /// The secret's line(s) (at most 1 KiB each way) and its offset in them.
    pub fn line_at(&self) -> (&'a str, usize) {
        self.around_within(0, 1024)
    }
}

/// The longest valid UTF-8 prefix of `b` (text around a secret is read as text; a binary
/// tail just ends it).
fn valid_utf8(b: &[u8]) -> &str {
    match std::str::from_utf8(b) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&b[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// Reads every fact the secret (at `start..end` of `data`) and its surroundings give.
/// `provider` is the rule's provider slug; extractors that need a neighbourhood look at
/// `data`, the others only at the secret.
pub fn extract(provider: &str, secret: &[u8], data: &[u8], start: usize, end: usize) -> Facts {
    let cx = Context::new(data, start, end);
    let mut f = Facts::default();
    let Ok(s) = std::str::from_utf8(secret) else {
        return f;
    };
    let s = s.trim();
    // Key blocks only for key rules (the OpenSSH rules capture part of the body) or a
    // secret that is an armored block itself.
    let key_like = provider == "privatekey" || s.contains("-----BEGIN ");
    let key = if key_like {
        keys::extract(s, &cx).or_else(|| pgp::extract(s, &cx))
    } else {
        None
    };
    if let Some(k) = key {
        f = k;
        // A private key inside a Google service-account file: the file names its owner.
        if let Some(g) = google::extract(&cx) {
            f.fill_from(g);
        }
        return f;
    }
    if let Some(j) = jwt::extract(s) {
        return j;
    }
    if let Some(a) = aws::extract(s, provider, &cx) {
        return a;
    }
    if let Some(t) = tokens::extract(s, provider, &cx) {
        f = t;
    }
    if let Some(c) = conn::extract(&cx) {
        f.fill_from(c);
    }
    if f.is_empty() {
        if let Some(g) = google::extract(&cx) {
            f = g;
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn around_takes_whole_lines_on_each_side() {
        let data = b"one\ntwo\nthree SECRET four\nfive\nsix\n";
        let at = 14;
        let cx = Context::new(data, at, at + 6);
        assert_eq!(cx.line(), "three SECRET four");
        let (text, off) = cx.around(1);
        assert_eq!(text, "two\nthree SECRET four\nfive");
        assert_eq!(&text[off..off + 6], "SECRET");
    }

    #[test]
    fn reach_orders_broad_first_and_expiry_is_read_by_day() {
        let today = Date::new(2026, 6, 1).unwrap();
        let broad = Facts {
            privilege: Some(Privilege::Broad),
            ..Facts::default()
        };
        let bot = Facts {
            privilege: Some(Privilege::Bot),
            ..Facts::default()
        };
        let expired = Facts {
            privilege: Some(Privilege::Broad),
            expires: Some("2026-05-31T00:00:00Z".into()),
            ..Facts::default()
        };
        let reach = |f: &Facts| f.privilege.map_or(0, Privilege::rank);
        assert!(reach(&broad) > reach(&bot));
        assert!(expired.expired(today));
        assert!(!broad.expired(today));
    }
}
