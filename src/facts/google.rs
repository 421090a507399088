//! Google Cloud service-account key files: the service account (`client_email`), its
//! project (`project_id`) and the key's id (`private_key_id`), read from the JSON around
//! a leaked private key.
//!
//! Source: Google Cloud IAM documentation, "Create and delete service account keys" (the
//! JSON key file: `type = "service_account"`, `project_id`, `private_key_id`,
//! `private_key`, `client_email`, `client_id`) and "Service accounts overview" (an email
//! `NAME@PROJECT.iam.gserviceaccount.com`).

use std::sync::OnceLock;

use regex::Regex;

use super::{Context, Facts};

/// Lines around the secret searched for the key file's fields (a key file is about a
/// dozen lines; a private key in it is one line, escaped).
const FILE_LINES: usize = 20;

fn field_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#""(type|project_id|private_key_id|client_email|client_id)"\s*:\s*"([^"\\]{1,200})""#,
        )
        .expect("static regex")
    })
}

/// The service account around the secret, if the text is a service-account key file.
pub fn extract(cx: &Context<'_>) -> Option<Facts> {
    let (text, _) = cx.around(FILE_LINES);
    if !text.contains("client_email") {
        return None;
    }
    let mut f = Facts::default();
    let mut service_account = false;
    for c in field_re().captures_iter(text) {
        let (k, v) = (&c[1], c[2].to_owned());
        match k {
            "type" => service_account |= v == "service_account",
            "project_id" => f.project = f.project.take().or(Some(v)),
            "private_key_id" => f.key_id = f.key_id.take().or(Some(v)),
            "client_email" => f.principal = f.principal.take().or(Some(v)),
            _ => {}
        }
    }
    let email = f.principal.as_deref()?;
    if !service_account && !email.ends_with(".gserviceaccount.com") {
        return None;
    }
    f.kind = Some("gcp-service-account-key".to_owned());
    f.account = f.project.clone();
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_account_fields_around_the_key() {
        let file = r#"{
  "type": "service_account",
  "project_id": "payments-prod",
  "private_key_id": "0123456789abcdef0123456789abcdef01234567",
  "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEv...\n-----END PRIVATE KEY-----\n",
  "client_email": "deployer@payments-prod.iam.gserviceaccount.com",
  "client_id": "123456789012345678901"
}"#;
        let at = file.find("-----BEGIN").unwrap();
        let f = extract(&Context::new(file.as_bytes(), at, at + 10)).unwrap();
        assert_eq!(
            f.principal.as_deref(),
            Some("deployer@payments-prod.iam.gserviceaccount.com")
        );
        assert_eq!(f.project.as_deref(), Some("payments-prod"));
        assert_eq!(
            f.key_id.as_deref(),
            Some("0123456789abcdef0123456789abcdef01234567")
        );
        let other = r#"{"client_email": "someone@example.com", "password": "x"}"#;
        assert_eq!(extract(&Context::new(other.as_bytes(), 0, 5)), None);
    }
}
