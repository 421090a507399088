//! Private-key blocks that the private-key rules' strict PEM shape misses: a block whose
//! BEGIN line carries a word after its dashes (`-----BEGIN RSA PRIVATE KEY----- fake`), a
//! block split over string literals (`"-----BEGIN ...\n" +` / `+ "MIIE...\n"` in Java,
//! Kotlin, C#, JavaScript), a block in a log with a timestamp before every line. The
//! armor names the key type; the material between BEGIN and END is read as the base64
//! runs it holds, whatever surrounds them, and judged by its length and randomness, never
//! by a placeholder word in a header or comment line (issue 13, item 5).

use crate::matcher::filters::{is_periodic, is_sequential, shannon_entropy};

/// How far after a BEGIN line its END line is looked for.
const MAX_BLOCK: usize = 64 * 1024;
/// Base64 characters of key material a block needs: an EC P-256 key has about 160.
const MIN_MATERIAL: usize = 120;

/// The kind of private key an armor label names, as a private-key rule id.
fn rule_for(label: &[u8]) -> &'static str {
    match label {
        b"RSA PRIVATE KEY" => "privatekey.pem.rsa",
        b"EC PRIVATE KEY" => "privatekey.pem.ec",
        b"DSA PRIVATE KEY" => "privatekey.pem.dsa",
        b"OPENSSH PRIVATE KEY" => "privatekey.openssh.encrypted",
        b"ENCRYPTED PRIVATE KEY" => "privatekey.pem.pkcs8-encrypted",
        b"PGP PRIVATE KEY BLOCK" => "privatekey.pgp",
        _ => "privatekey.pem.pkcs8",
    }
}

/// The rule ids this module reports under.
pub(super) const RULE_IDS: &[&str] = &[
    "privatekey.pem.rsa",
    "privatekey.pem.ec",
    "privatekey.pem.dsa",
    "privatekey.openssh.encrypted",
    "privatekey.pem.pkcs8-encrypted",
    "privatekey.pgp",
    "privatekey.pem.pkcs8",
];

/// Each private-key block of `data`: (rule id, start of its BEGIN marker, end of its END
/// marker).
pub(super) fn blocks(data: &[u8]) -> Vec<(&'static str, usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&data[from..], b"-----BEGIN ") {
        let begin = from + i;
        from = begin + 11;
        let label_start = begin + 11;
        let Some(dash) = memchr::memmem::find(
            &data[label_start..data.len().min(label_start + 40)],
            b"-----",
        ) else {
            continue;
        };
        let label = &data[label_start..label_start + dash];
        if !label.ends_with(b"PRIVATE KEY") && !label.ends_with(b"PRIVATE KEY BLOCK") {
            continue;
        }
        let body_start = label_start + dash + 5;
        let window = &data[body_start..data.len().min(body_start + MAX_BLOCK)];
        let Some(end_at) = memchr::memmem::find(window, b"-----END ") else {
            continue;
        };
        let end_marker = body_start + end_at;
        let tail = &data[end_marker..data.len().min(end_marker + 60)];
        let Some(close) = memchr::memmem::find(&tail[9..], b"-----") else {
            continue;
        };
        let end_label = &tail[9..9 + close];
        if !end_label.ends_with(b"PRIVATE KEY") && !end_label.ends_with(b"PRIVATE KEY BLOCK") {
            continue;
        }
        let end = end_marker + 9 + close + 5;
        if has_key_material(&data[body_start..end_marker]) {
            out.push((rule_for(label), begin, end));
        }
        from = end;
    }
    out
}

/// Whether a block's body holds key material: enough base64 in runs of 16 or more (a
/// line of a key; a timestamp, a quote, a `\n` or a `+` between them is not material), as
/// random as encoded key bytes are, and not a repeated or counting filler.
fn has_key_material(body: &[u8]) -> bool {
    // A body cut short with an ellipsis is an excerpt in documentation.
    if memchr::memmem::find(body, b"...").is_some()
        || memchr::memmem::find(body, "\u{2026}".as_bytes()).is_some()
    {
        return false;
    }
    let is_b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
    let mut material = Vec::new();
    for run in body.split(|b| !is_b64(b)) {
        if run.len() >= 16 {
            material.extend_from_slice(run);
        }
    }
    if material.len() < MIN_MATERIAL {
        return false;
    }
    let distinct = {
        let mut seen = [false; 256];
        material.iter().for_each(|&b| seen[b as usize] = true);
        seen.iter().filter(|&&x| x).count()
    };
    distinct >= 40
        && shannon_entropy(&material) >= 5.0
        && !is_sequential(&material)
        && !is_periodic(&material)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A made-up body: random-looking base64 written for these tests, not a real key.
    const BODY: [&str; 4] = [
        "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu",
        "KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm",
        "o3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiRm0GRq6a+HPGQMd2k",
        "TQIhAKMSvzIBnni7ot/OSie2TmJLY4SwTQAevXysE2RbFDYdAiEBCUEaRQnMnbp7",
    ];

    fn key(header_tail: &str, sep: &str, label: &str) -> String {
        format!(
            "-----BEGIN {label}-----{header_tail}{sep}{}{sep}-----END {label}-----",
            BODY.join(sep)
        )
    }

    #[test]
    fn blocks_with_noise_are_found() {
        let fake_header = key(" fake", "\n", "RSA PRIVATE KEY");
        assert_eq!(blocks(fake_header.as_bytes())[0].0, "privatekey.pem.rsa");
        let java = key("", "\\n\" +\n    \"", "PRIVATE KEY");
        let java = format!("String K = \"{java}\";");
        assert_eq!(blocks(java.as_bytes())[0].0, "privatekey.pem.pkcs8");
        let log = key("", "\n2026-04-26 12:36:01 ", "EC PRIVATE KEY");
        assert_eq!(blocks(log.as_bytes())[0].0, "privatekey.pem.ec");
        let pgp = key("\nComment: example key\n", "\n", "PGP PRIVATE KEY BLOCK");
        assert_eq!(blocks(pgp.as_bytes())[0].0, "privatekey.pgp");
    }

    #[test]
    fn placeholders_and_public_keys_are_not() {
        let filler = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
            "x".repeat(64 * 4)
        );
        assert!(blocks(filler.as_bytes()).is_empty());
        let short = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n...\n-----END PRIVATE KEY-----";
        assert!(blocks(short.as_bytes()).is_empty());
        let excerpt = key("", "\n...\n", "PRIVATE KEY");
        assert!(blocks(excerpt.as_bytes()).is_empty());
        let public = key("", "\n", "PUBLIC KEY");
        assert!(blocks(public.as_bytes()).is_empty());
        let counting = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".repeat(3)
        );
        assert!(blocks(counting.as_bytes()).is_empty());
        assert!(
            blocks(b"-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----").is_empty()
        );
    }
}
