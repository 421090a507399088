//! Facts read from the credentials themselves, end to end: in every output, as manifest
//! selectors (`accounts`, `principals`, `public_keys`), in `nhi init` drafts and the
//! `credential-expired` flag. Keys are made at test time with `ssh-keygen` and `openssl`
//! (`.ci/run` installs them); fingerprints are compared with what `ssh-keygen` prints.

use std::path::Path;
use std::process::{Command, Stdio};

use base64::Engine as _;
use serde_json::Value;

use super::{bin, write_files, Run};

const TODAY: &str = "2026-11-01";

fn kt(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("KEYTRACE_TODAY", TODAY)
        .stdin(Stdio::null())
        .output()
        .expect("run keytrace");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// RFC 4648 base32 without padding.
fn base32(bytes: &[u8]) -> String {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHA[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHA[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// A new-generation access key id of `account`, the inverse of the published decoding
/// (generation bit, 40 account bits shifted left by 7, then `n` to vary the rest).
fn key_id(account: u64, n: u8) -> String {
    let head: u64 = (1 << 47) | (account << 7) | u64::from(n & 0x7f);
    let mut bytes = head.to_be_bytes()[2..].to_vec();
    bytes.extend([0x5a ^ n, 0xc3, 0x17 ^ n.wrapping_mul(31), 0x9e]);
    format!("AKIA{}", base32(&bytes))
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed (.ci/run installs it): {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn manifest(dir: &Path, body: &str) {
    write_files(
        dir,
        &[(".keytrace/identities.toml", &format!("version = 1\n{body}"))],
    );
}

fn identity(id: &str, selector: &str) -> String {
    format!(
        "\n[[identity]]\nid = \"{id}\"\nkind = \"service-account\"\nowner = \"team-{id}\"\npurpose = \"p\"\nreview = {{ last_reviewed = 2026-10-15 }}\n  [[identity.credential]]\n  match = {{ {selector} }}\n"
    )
}

fn by_path<'a>(findings: &'a [Value], path: &str) -> Vec<&'a Value> {
    let v: Vec<&Value> = findings.iter().filter(|f| f["path"] == path).collect();
    assert!(!v.is_empty(), "no finding in {path}: {findings:#?}");
    v
}

fn jwt(claims: &str) -> String {
    let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.{}",
        e(r#"{"alg":"HS256","typ":"JWT"}"#),
        e(claims),
        e("a signature of thirty-two bytes!")
    )
}

#[test]
fn key_ids_decode_to_the_account_the_published_way() {
    // The generator above inverts the decoding; check it on the published example's
    // account and that keytrace reads the same account back.
    let id = key_id(609_629_065_308, 3);
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[("a.env", &format!("AWS_ACCESS_KEY_ID={id}\n"))],
    );
    let fs = kt(tmp.path(), &["scan", ".", "--format", "json"]).findings();
    assert_eq!(fs[0]["facts"]["account"], "609629065308", "{fs:#?}");
    assert_eq!(fs[0]["facts"]["lifetime"], "long-lived");
}

#[test]
fn manifest_claims_credentials_through_facts_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // An SSH deploy key, claimed by its public key fingerprint only.
    let key = d.join("keys/deploy_key");
    std::fs::create_dir_all(key.parent().unwrap()).unwrap();
    tool(
        "ssh-keygen",
        &[
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "ci@deploy",
            "-f",
            key.to_str().unwrap(),
        ],
    );
    let printed = tool("ssh-keygen", &["-lf", key.to_str().unwrap()]);
    let ssh_fp = printed.split_whitespace().nth(1).unwrap().to_owned();
    std::fs::remove_file(key.with_extension("pub")).unwrap();
    // A Google service-account key file, claimed by its client_email only.
    let pem = tool(
        "openssl",
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
        ],
    );
    let email = "deployer@payments-prod.iam.gserviceaccount.com";
    let sa = serde_json::json!({
        "type": "service_account",
        "project_id": "payments-prod",
        "private_key_id": "6f1e0d2c3b4a59687766554433221100ffeeddcc",
        "private_key": pem,
        "client_email": email,
        "client_id": "109876543210987654321",
    });
    // Two AWS keys of one account, claimed by the account only.
    let (k1, k2) = (key_id(123_456_789_012, 1), key_id(123_456_789_012, 2));
    write_files(
        d,
        &[
            ("gcp/sa.json", &serde_json::to_string_pretty(&sa).unwrap()),
            ("aws/one.env", &format!("AWS_ACCESS_KEY_ID={k1}\n")),
            ("aws/two.env", &format!("AWS_ACCESS_KEY_ID={k2}\n")),
        ],
    );
    manifest(
        d,
        &[
            identity("deploy-key", &format!("public_keys = [\"{ssh_fp}\"]")),
            identity("gcp-deployer", &format!("principals = [\"{email}\"]")),
            identity("aws-prod", "accounts = [\"123456789012\"]"),
        ]
        .concat(),
    );
    let check = kt(d, &["nhi", "check"]);
    assert!(check.code != 2, "{}{}", check.stdout, check.stderr);
    let run = kt(d, &["scan", ".", "--format", "json"]);
    let fs = run.findings();
    for (path, id) in [
        ("keys/deploy_key", "deploy-key"),
        ("gcp/sa.json", "gcp-deployer"),
        ("aws/one.env", "aws-prod"),
        ("aws/two.env", "aws-prod"),
    ] {
        for f in by_path(&fs, path) {
            assert_eq!(f["identity"]["id"], id, "{f:#}");
        }
    }
    let key_finding = by_path(&fs, "keys/deploy_key")[0];
    assert_eq!(key_finding["facts"]["key_fingerprint"], ssh_fp.as_str());
    assert_eq!(key_finding["facts"]["key_type"], "ED25519");
    assert_eq!(
        by_path(&fs, "gcp/sa.json")[0]["facts"]["project"],
        "payments-prod"
    );
    // Never the secret: no key body in any output.
    let body_line = pem.lines().nth(1).unwrap();
    assert!(!run.stdout.contains(body_line));
    // A malformed facts selector names file, line and field.
    manifest(
        d,
        &identity(
            "bad",
            "public_keys = [\"MD5:aa:bb\"], accounts = [\"12345\"]",
        ),
    );
    let bad = kt(d, &["nhi", "check"]);
    assert_eq!(bad.code, 2, "{}{}", bad.stdout, bad.stderr);
    let said = format!("{}{}", bad.stdout, bad.stderr);
    assert!(said.contains("match.public_keys"), "{said}");
    assert!(said.contains("match.accounts"), "{said}");
}

#[test]
fn init_drafts_one_identity_for_three_keys_of_one_account() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let files: Vec<(String, String)> = (1..=3)
        .map(|n| {
            (
                format!("svc{n}/.env"),
                format!("AWS_ACCESS_KEY_ID={}\n", key_id(210_987_654_321, n)),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(d, &refs);
    let printed = kt(d, &["nhi", "init"]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert_eq!(
        printed.stdout.matches("[[identity]]").count(),
        1,
        "{}",
        printed.stdout
    );
    assert!(
        printed.stdout.contains("accounts = [\"210987654321\"]"),
        "{}",
        printed.stdout
    );
    let w = kt(d, &["nhi", "init", "--write"]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    let fs = kt(d, &["scan", ".", "--format", "json"]).findings();
    assert_eq!(fs.len(), 3);
    for f in &fs {
        assert_eq!(f["identity"]["id"], "aws-210987654321", "{f:#}");
    }
    // The report puts the three keys on one account line.
    let report = kt(d, &["nhi", "report", "--format", "json"]);
    let inv: Value = serde_json::from_str(&report.stdout).expect(&report.stderr);
    let groups = inv["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:#?}");
    assert_eq!(groups[0]["value"], "210987654321");
    assert_eq!(groups[0]["exposures"]["secrets"], 3);
}

#[test]
fn expired_jwt_is_flagged_and_ranked_lower_but_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let old =
        jwt(r#"{"iss":"https://auth.example","sub":"svc-old","exp":1600000000,"iat":1590000000}"#);
    let live = jwt(r#"{"iss":"https://auth.example","sub":"svc-live","exp":4102444800}"#);
    write_files(
        d,
        &[
            ("old.env", &format!("TOKEN={old}\n")),
            ("live.env", &format!("TOKEN={live}\n")),
        ],
    );
    let run = kt(d, &["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let fs = run.findings();
    let old_f = by_path(&fs, "old.env")[0];
    let live_f = by_path(&fs, "live.env")[0];
    let flags = |f: &Value| f["flags"].as_array().unwrap().clone();
    assert!(
        flags(old_f).contains(&Value::from("credential-expired")),
        "{old_f:#}"
    );
    assert!(
        !flags(live_f).contains(&Value::from("credential-expired")),
        "{live_f:#}"
    );
    assert_eq!(old_f["facts"]["expires"], "2020-09-13T12:26:40Z");
    assert_eq!(old_f["facts"]["principal"], "svc-old");
    // SARIF: the expired one is graded a level lower, facts in the properties.
    let sarif = kt(d, &["scan", ".", "--format", "sarif"]);
    let doc: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let level_of = |path: &str| {
        results
            .iter()
            .find(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == path)
            .map(|r| {
                (
                    r["level"].clone(),
                    r["properties"]["facts"]["principal"].clone(),
                )
            })
            .unwrap()
    };
    assert_eq!(
        level_of("live.env"),
        (Value::from("warning"), Value::from("svc-live"))
    );
    assert_eq!(
        level_of("old.env"),
        (Value::from("note"), Value::from("svc-old"))
    );
    // Text: one facts line, no secret.
    let text = kt(d, &["scan", "."]);
    assert!(text.stdout.contains("facts: kind=jwt"), "{}", text.stdout);
    assert!(!text.stdout.contains(&old));
}

#[test]
fn history_findings_carry_facts() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.test"])
            .args(args)
            .current_dir(d)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    write_files(
        d,
        &[(
            "creds.env",
            &format!("AWS_ACCESS_KEY_ID={}\n", key_id(555_555_555_555, 9)),
        )],
    );
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "add"]);
    std::fs::remove_file(d.join("creds.env")).unwrap();
    git(&["commit", "-q", "-am", "remove"]);
    let fs = kt(d, &["scan", "--history", "--format", "json"]).findings();
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0]["facts"]["account"], "555555555555");
    assert_eq!(fs[0]["in_head"], false);
}
