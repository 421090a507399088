//! Decoding: secrets inside base64 and percent-encoded text and Kubernetes Secret `data:`
//! values are found, reported at the encoded text, never printed decoded without
//! `--show-secrets`; `--decode-depth` bounds the nesting (0 disables decoding).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde_json::Value;

use super::sarif::{assert_github_rules, assert_schema_valid};
use super::{keytrace, secrets, write_files};

fn scan_json(dir: &std::path::Path, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["scan", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let run = keytrace(dir, &args);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    (run.code, run.findings())
}

/// 1-based column of `needle` on its line in `text`, and its line.
fn position(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).expect("needle in text");
    let line = text[..at].matches('\n').count() as u64 + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col as u64)
}

#[test]
fn base64_secret_in_a_config_is_found_at_the_encoded_text() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let enc = STANDARD.encode(format!("GITHUB_TOKEN={pat}\n"));
    let text = format!("# deploy settings\nsettings:\n  env_blob: \"{enc}\"\n");
    write_files(dir.path(), &[("deploy/values.yaml", &text)]);
    let (code, findings) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f["rule_id"], "github.pat.classic");
    assert_eq!(f["decoded"], serde_json::json!(["base64"]));
    let (line, col) = position(&text, &enc);
    assert_eq!(
        (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
        (line, col)
    );
    assert_eq!(f["end_line"].as_u64().unwrap(), line);
    assert_eq!(f["end_column"].as_u64().unwrap(), col + enc.len() as u64);
    // The fingerprint is the decoded secret's: the same as the plain token's anywhere.
    let run = super::keytrace_stdin(dir.path(), &["fingerprint"], Some(pat.as_bytes()));
    assert_eq!(f["fingerprint"].as_str().unwrap(), run.stdout.trim());
    // Never printed, neither encoded nor decoded, without --show-secrets.
    for format in ["text", "json", "sarif"] {
        let run = keytrace(dir.path(), &["scan", ".", "--format", format]);
        assert!(!run.stdout.contains(&pat), "{format} leaked the secret");
    }
    let run = keytrace(
        dir.path(),
        &["scan", ".", "--format", "json", "--show-secrets"],
    );
    assert!(run.stdout.contains(&pat));
}

#[test]
fn url_safe_base64_and_plain_tokens_are_not_double_reported() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let enc = URL_SAFE_NO_PAD.encode(format!("{{\"token\":\"{pat}\"}}"));
    // The same token in plain text on another line and encoded here: two findings, one each.
    let text = format!("GITHUB_TOKEN={pat}\nstate={enc}\n");
    write_files(dir.path(), &[("a.env", &text)]);
    let (_, findings) = scan_json(dir.path(), &[]);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert!(findings[0].get("decoded").is_none());
    assert_eq!(findings[1]["decoded"], serde_json::json!(["base64"]));
    assert_eq!(findings[0]["fingerprint"], findings[1]["fingerprint"]);
}

#[test]
fn url_encoded_secret_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let stripe = secrets::stripe_live().replace('_', "%5F");
    let text = format!("callback: https://hooks.example.test/pay?key={stripe}&mode=live\n");
    write_files(dir.path(), &[("conf/hooks.yml", &text)]);
    let (_, findings) = scan_json(dir.path(), &[]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["provider"], "stripe");
    assert_eq!(findings[0]["decoded"], serde_json::json!(["percent"]));
    assert_eq!(findings[0]["line"], 1);
}

#[test]
fn decode_depth_zero_turns_decoding_off_and_two_finds_double_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let once = STANDARD.encode(format!("token: {pat}"));
    let twice = STANDARD.encode(format!("payload={once}"));
    write_files(
        dir.path(),
        &[
            ("a.json", &format!("{{\"once\": \"{once}\"}}\n")),
            ("b.json", &format!("{{\"twice\": \"{twice}\"}}\n")),
        ],
    );
    let (code, findings) = scan_json(dir.path(), &["--decode-depth", "0"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
    let (_, findings) = scan_json(dir.path(), &[]);
    let paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a.json"], "depth 1 finds the single encoding only");
    let (_, findings) = scan_json(dir.path(), &["--decode-depth", "2"]);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert_eq!(findings[1]["path"], "b.json");
    assert_eq!(
        findings[1]["decoded"],
        serde_json::json!(["base64", "base64"])
    );
}

#[test]
fn kubernetes_secret_data_value_is_decoded_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let password = "Qm7#vX2p!Lz9wRk4"; // keytrace:allow
    let url = "postgres://app:Hx4vQ8pLz2wRk7mN@db.internal:5432/orders"; // keytrace:allow
    let (p64, u64_) = (STANDARD.encode(password), STANDARD.encode(url));
    let text = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: orders-db\ntype: Opaque\ndata:\n  smtp-kennwort: {p64}\n  DATABASE_URL: {u64_}\n"
    );
    write_files(dir.path(), &[("k8s/secret.yaml", &text)]);
    let (_, findings) = scan_json(dir.path(), &[]);
    let lines: Vec<u64> = findings
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [7, 8], "{findings:#?}");
    for (f, value) in findings.iter().zip([&p64, &u64_]) {
        let (line, col) = position(&text, value);
        assert_eq!(
            (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
            (line, col)
        );
    }
    let run = keytrace(
        dir.path(),
        &["scan", ".", "--format", "json", "--show-secrets"],
    );
    assert!(run.stdout.contains(password), "{}", run.stdout);
}

#[test]
fn random_bytes_in_base64_give_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n"
        .iter()
        .copied()
        .chain((0..6000).map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        }))
        .collect();
    let b64 = STANDARD.encode(&png);
    let wrapped: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    write_files(
        dir.path(),
        &[
            (
                "logo.html",
                &format!("<img src=\"data:image/png;base64,{b64}\">\n"),
            ),
            ("logo.b64", &format!("{}\n", wrapped.join("\n"))),
        ],
    );
    let (code, findings) = scan_json(dir.path(), &["--decode-depth", "3"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn decoded_findings_keep_sarif_valid() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let enc = STANDARD.encode(format!("GITHUB_TOKEN={pat}"));
    write_files(dir.path(), &[("cfg.yml", &format!("blob: {enc}\n"))]);
    let run = keytrace(dir.path(), &["scan", ".", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_schema_valid(&doc, "decoded finding");
    assert_github_rules(
        &doc,
        &run.stdout,
        &[pat.clone(), enc.clone()],
        "decoded finding",
    );
    let result = &doc["runs"][0]["results"][0];
    assert_eq!(
        result["properties"]["decoded"],
        serde_json::json!(["base64"])
    );
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains("base64"),
        "{}",
        result["message"]["text"]
    );
}
