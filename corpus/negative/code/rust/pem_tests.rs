//! Tests build their keys at run time; no key material is checked in.

const HEADER: &str = "-----BEGIN PRIVATE KEY-----";
const FOOTER: &str = "-----END PRIVATE KEY-----";

#[test]
fn detects_generated_key() {
    let key = rcgen::KeyPair::generate().unwrap();
    let pem = key.serialize_pem();
    assert!(pem.starts_with(HEADER));
    assert!(pem.trim_end().ends_with(FOOTER));
}

#[test]
fn truncated_block_is_not_a_key() {
    let text = "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n";
    assert!(!looks_like_key(text));
}

#[test]
fn placeholder_body_is_not_a_key() {
    let text = format!("{HEADER}\n<your key here>\n{FOOTER}");
    assert!(!looks_like_key(&text));
}
