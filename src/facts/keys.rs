//! Private keys in their text encodings: the public key's `SHA256:` fingerprint exactly
//! as `ssh-keygen -lf` prints it, the key type and its size, so a leaked key can be
//! matched to the deploy key or `authorized_keys` entry it opens.
//!
//! Sources: RFC 7468 (PEM text encoding, labels), RFC 8017 appendix A.1.2 (PKCS#1
//! `RSAPrivateKey`), RFC 5208 and RFC 5958 (PKCS#8 `PrivateKeyInfo`), RFC 5915 (SEC1
//! `ECPrivateKey`, with its optional public key), RFC 8410 section 7 (Ed25519 in PKCS#8,
//! a 32-byte seed), OpenSSH's `PROTOCOL.key` (the `openssh-key-v1` format, whose public
//! key is stored in the clear even when the private part is encrypted), RFC 4253
//! section 6.6 and RFC 5656 (the SSH public key blob) and OpenSSH's `sshkey.c`
//! (`SHA256:` + unpadded base64 of the blob's SHA-256, as `ssh-keygen -lf` prints it).
//! DER parsing is RustCrypto's `pkcs1`, `pkcs8` and `sec1`; the OpenSSH format, the blob
//! and the fingerprint are the `ssh-key` crate's.

use base64::Engine as _;
use pkcs8::der::Decode as _;
use ssh_key::public::{EcdsaPublicKey, Ed25519PublicKey, KeyData, RsaPublicKey};
use ssh_key::{HashAlg, Mpint};

use super::{Context, Facts};

/// An armored block (`-----BEGIN label-----` ... `-----END label-----`) around a secret.
pub struct Armor {
    /// The label (`RSA PRIVATE KEY`).
    pub label: String,
    /// Header lines (`Proc-Type: 4,ENCRYPTED`, `Version: ...`).
    pub headers: Vec<String>,
    /// The decoded body (without a PGP armor checksum).
    pub body: Vec<u8>,
}

/// The armored block that contains the secret (the secret may be the whole block or a
/// part of its body), with JSON/code escapes (`\n`, `\r`) and indentation undone.
pub fn armor_around(secret: &str, cx: &Context<'_>) -> Option<Armor> {
    if !secret.contains("-----BEGIN ") && !secret.contains("-----END ") && secret.len() < 40 {
        return None;
    }
    // A PGP RSA-4096 secret key block is about 7 KiB: 16 KiB each way covers any key.
    let (text, at) = cx.around_within(usize::MAX, 16 * 1024);
    let head = (at + "-----BEGIN ".len()).min(text.len());
    let begin = text.get(..head)?.rfind("-----BEGIN ")?;
    let rest = &text[begin + "-----BEGIN ".len()..];
    let label_end = rest.find("-----")?;
    let label = rest[..label_end].trim().to_owned();
    let body_start = label_end + 5;
    let end = rest[body_start..].find("-----END ")? + body_start;
    // The block must reach past the secret's start (the secret is inside it).
    if begin + "-----BEGIN ".len() + end < at {
        return None;
    }
    let raw = rest[body_start..end]
        .replace("\\\\r", "")
        .replace("\\\\n", "\n")
        .replace("\\r", "")
        .replace("\\n", "\n");
    let mut headers = Vec::new();
    let mut b64 = String::new();
    for line in raw.lines() {
        let line = line
            .trim()
            .trim_matches(|c| c == '"' || c == '\'' || c == ',');
        let line = line.trim();
        if line.contains(':') {
            headers.push(line.to_owned());
        } else if line.starts_with('=') && line.len() == 5 {
            // PGP armor checksum (RFC 4880 section 6.2): not part of the data.
            break;
        } else {
            b64.extend(
                line.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')),
            );
        }
    }
    let body = base64::engine::general_purpose::STANDARD
        .decode(b64.trim_end_matches('=').to_owned() + &pad(b64.trim_end_matches('=').len()))
        .ok()?;
    Some(Armor {
        label,
        headers,
        body,
    })
}

fn pad(n: usize) -> String {
    "=".repeat((4 - n % 4) % 4)
}

/// Facts of a public key blob: fingerprint, type and bits as `ssh-keygen -lf` shows them.
pub fn public_key_facts(key: &KeyData) -> Facts {
    let (key_type, bits) = match key {
        KeyData::Rsa(k) => ("RSA", mpint_bits(&k.n)),
        KeyData::Dsa(k) => ("DSA", mpint_bits(&k.p)),
        KeyData::Ecdsa(k) => (
            "ECDSA",
            Some(match k {
                EcdsaPublicKey::NistP256(_) => 256,
                EcdsaPublicKey::NistP384(_) => 384,
                EcdsaPublicKey::NistP521(_) => 521,
            }),
        ),
        KeyData::Ed25519(_) => ("ED25519", Some(256)),
        KeyData::SkEcdsaSha2NistP256(_) => ("ECDSA-SK", Some(256)),
        KeyData::SkEd25519(_) => ("ED25519-SK", Some(256)),
        _ => ("OTHER", None),
    };
    Facts {
        key_fingerprint: Some(key.fingerprint(HashAlg::Sha256).to_string()),
        key_type: Some(key_type.to_owned()),
        key_bits: bits,
        ..Facts::default()
    }
}

fn mpint_bits(m: &Mpint) -> Option<u32> {
    let b = m.as_positive_bytes()?;
    let first = *b.first()?;
    Some((b.len() as u32 - 1) * 8 + (8 - first.leading_zeros()))
}

fn rsa_key(n: &[u8], e: &[u8]) -> Option<KeyData> {
    Some(KeyData::Rsa(RsaPublicKey {
        e: Mpint::from_positive_bytes(e).ok()?,
        n: Mpint::from_positive_bytes(n).ok()?,
    }))
}

fn pkcs1_key(der: &[u8]) -> Option<KeyData> {
    let k = pkcs1::RsaPrivateKey::from_der(der).ok()?;
    rsa_key(k.modulus.as_bytes(), k.public_exponent.as_bytes())
}

fn sec1_key(der: &[u8]) -> Option<KeyData> {
    let k = sec1::EcPrivateKey::from_der(der).ok()?;
    Some(KeyData::Ecdsa(
        EcdsaPublicKey::from_sec1_bytes(k.public_key?).ok()?,
    ))
}

const RSA_OID: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_OID: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519_OID: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.3.101.112");

fn pkcs8_key(der: &[u8]) -> Option<KeyData> {
    let info = pkcs8::PrivateKeyInfo::from_der(der).ok()?;
    let oid = info.algorithm.oid;
    if oid == RSA_OID {
        pkcs1_key(info.private_key)
    } else if oid == EC_OID {
        sec1_key(info.private_key)
    } else if oid == ED25519_OID {
        if let Some(pk) = info.public_key {
            return Some(KeyData::Ed25519(Ed25519PublicKey::try_from(pk).ok()?));
        }
        // RFC 8410: CurvePrivateKey ::= OCTET STRING (32 bytes), so 0x04 0x20 + seed.
        let seed: &[u8; 32] = match info.private_key {
            [0x04, 0x20, rest @ ..] => rest.try_into().ok()?,
            _ => return None,
        };
        let pair = ssh_key::private::Ed25519Keypair::from_seed(seed);
        Some(KeyData::Ed25519(pair.public))
    } else {
        None
    }
}

/// The facts of a private key block around the secret, if it is one this module reads.
pub fn extract(secret: &str, cx: &Context<'_>) -> Option<Facts> {
    let armor = armor_around(secret, cx)?;
    let encrypted = armor.headers.iter().any(|h| h.contains("ENCRYPTED"));
    let (kind, key) = match armor.label.as_str() {
        "RSA PRIVATE KEY" if encrypted => ("encrypted-pkcs1-private-key", None),
        "RSA PRIVATE KEY" => ("pkcs1-private-key", pkcs1_key(&armor.body)),
        "EC PRIVATE KEY" if encrypted => ("encrypted-sec1-private-key", None),
        "EC PRIVATE KEY" => ("sec1-private-key", sec1_key(&armor.body)),
        "PRIVATE KEY" => ("pkcs8-private-key", pkcs8_key(&armor.body)),
        "ENCRYPTED PRIVATE KEY" => ("encrypted-pkcs8-private-key", None),
        "DSA PRIVATE KEY" => ("dsa-private-key", None),
        "OPENSSH PRIVATE KEY" => {
            let k = ssh_key::PrivateKey::from_bytes(&armor.body).ok()?;
            let mut f = public_key_facts(k.public_key().key_data());
            f.kind = Some(if k.is_encrypted() {
                "encrypted-openssh-private-key".to_owned()
            } else {
                "openssh-private-key".to_owned()
            });
            let comment = k.comment().trim();
            if !comment.is_empty() {
                f.comment = Some(comment.to_owned());
            }
            return Some(f);
        }
        _ => return None,
    };
    let mut f = key.map(|k| public_key_facts(&k)).unwrap_or_default();
    if f.key_type.is_none() {
        f.key_type = match armor.label.as_str() {
            "RSA PRIVATE KEY" => Some("RSA".to_owned()),
            "EC PRIVATE KEY" => Some("ECDSA".to_owned()),
            "DSA PRIVATE KEY" => Some("DSA".to_owned()),
            _ => None,
        };
    }
    f.kind = Some(kind.to_owned());
    Some(f)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::process::Command;

    /// Runs a tool; `None` when it cannot be started.
    fn run(cmd: &str, args: &[&str]) -> Option<String> {
        let out = Command::new(cmd).args(args).output().ok()?;
        assert!(
            out.status.success(),
            "{cmd} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(String::from_utf8(out.stdout).unwrap())
    }

    fn facts_of(text: &str) -> Facts {
        let at = text.find("-----BEGIN").unwrap();
        let cx = Context::new(text.as_bytes(), at, text.len());
        extract(text[at..].trim(), &cx).unwrap()
    }

    /// `ssh-keygen -lf` of a file: (bits, fingerprint, type).
    fn keygen_fingerprint(path: &std::path::Path) -> (u32, String, String) {
        let out = run("ssh-keygen", &["-lf", path.to_str().unwrap()]).unwrap();
        let parts: Vec<&str> = out.split_whitespace().collect();
        let ty = parts.last().unwrap().trim_matches(|c| c == '(' || c == ')');
        (
            parts[0].parse().unwrap(),
            parts[1].to_owned(),
            ty.to_owned(),
        )
    }

    fn check(f: &Facts, expect: &(u32, String, String)) {
        assert_eq!(f.key_fingerprint.as_deref(), Some(expect.1.as_str()));
        assert_eq!(f.key_bits, Some(expect.0));
        assert_eq!(f.key_type.as_deref(), Some(expect.2.as_str()));
    }

    #[test]
    fn openssh_keys_match_ssh_keygen() {
        need("ssh-keygen");
        let dir = tempfile::tempdir().unwrap();
        for (ty, bits, pass) in [
            ("ed25519", "256", ""),
            ("ecdsa", "384", ""),
            ("rsa", "2048", ""),
            ("ed25519", "256", "correct horse"),
        ] {
            let key = dir.path().join(format!("k-{ty}-{}", pass.len()));
            run(
                "ssh-keygen",
                &[
                    "-q",
                    "-t",
                    ty,
                    "-b",
                    bits,
                    "-N",
                    pass,
                    "-C",
                    "deploy@ci",
                    "-f",
                    key.to_str().unwrap(),
                ],
            )
            .unwrap();
            let expect = keygen_fingerprint(&key.with_extension("pub"));
            let text = std::fs::read_to_string(&key).unwrap();
            let f = facts_of(&text);
            check(&f, &expect);
            // An encrypted key's comment is inside the encrypted part.
            if pass.is_empty() {
                assert_eq!(f.comment.as_deref(), Some("deploy@ci"));
            }
            // Inside a JSON string, with escaped line breaks.
            let json = format!("{{\"key\": {:?}}}", text);
            check(&facts_of(&json), &expect);
        }
    }

    /// The tools are required, not optional: `.ci/run` installs them.
    pub(crate) fn need(tool: &str) {
        assert!(
            Command::new(tool).arg("-h").output().is_ok(),
            "{tool} is not installed: install it (openssh-client, openssl, gnupg; .ci/run does)"
        );
    }

    #[test]
    fn pem_keys_match_ssh_keygen() {
        need("openssl");
        need("ssh-keygen");
        let dir = tempfile::tempdir().unwrap();
        let cases: &[(&str, &[&str])] = &[
            (
                "rsa-pkcs8",
                &[
                    "genpkey",
                    "-algorithm",
                    "RSA",
                    "-pkeyopt",
                    "rsa_keygen_bits:2048",
                ],
            ),
            ("ed25519-pkcs8", &["genpkey", "-algorithm", "ED25519"]),
            (
                "ec-pkcs8",
                &[
                    "genpkey",
                    "-algorithm",
                    "EC",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                ],
            ),
        ];
        for (name, args) in cases {
            let key = dir.path().join(name);
            let mut a: Vec<&str> = args.to_vec();
            a.extend(["-out", key.to_str().unwrap()]);
            run("openssl", &a).unwrap();
            std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .unwrap();
            // ssh-keygen reads the PEM key and prints its public key's fingerprint; it
            // cannot read a PKCS#8 Ed25519 key, so that one is checked against the public
            // key openssl derives, in the SSH blob of RFC 8709.
            let expect = if *name == "ed25519-pkcs8" {
                ed25519_expected(&key)
            } else {
                keygen_fingerprint(&key)
            };
            let text = std::fs::read_to_string(&key).unwrap();
            assert!(text.contains("BEGIN PRIVATE KEY"), "{name}");
            check(&facts_of(&text), &expect);
            // The traditional (PKCS#1 / SEC1) form of the same key.
            if *name != "ed25519-pkcs8" {
                let trad = dir.path().join(format!("{name}.trad"));
                let mut a = vec!["rsa", "-traditional"];
                if name.starts_with("ec") {
                    a = vec!["ec"];
                }
                a.extend(["-in", key.to_str().unwrap(), "-out", trad.to_str().unwrap()]);
                run("openssl", &a).unwrap();
                let text = std::fs::read_to_string(&trad).unwrap();
                assert!(!text.contains("BEGIN PRIVATE KEY"), "{name}");
                check(&facts_of(&text), &expect);
            }
        }
    }

    /// The fingerprint of the Ed25519 public key openssl derives from `key`.
    fn ed25519_expected(key: &std::path::Path) -> (u32, String, String) {
        use sha2::{Digest, Sha256};
        let out = Command::new("openssl")
            .args([
                "pkey",
                "-in",
                key.to_str().unwrap(),
                "-pubout",
                "-outform",
                "DER",
            ])
            .output()
            .unwrap();
        let der = out.stdout;
        let public = &der[der.len() - 32..];
        let mut blob = Vec::new();
        for field in [b"ssh-ed25519".as_slice(), public] {
            blob.extend((field.len() as u32).to_be_bytes());
            blob.extend(field);
        }
        let digest = Sha256::digest(&blob);
        let b64 = base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest);
        (256, format!("SHA256:{b64}"), "ED25519".to_owned())
    }

    #[test]
    fn encrypted_pkcs8_says_only_its_kind() {
        let text = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n"; // keytrace:allow
        let f = facts_of(text);
        assert_eq!(f.kind.as_deref(), Some("encrypted-pkcs8-private-key"));
        assert_eq!(f.key_fingerprint, None);
    }
}
