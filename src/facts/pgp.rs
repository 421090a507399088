//! OpenPGP private keys (`-----BEGIN PGP PRIVATE KEY BLOCK-----`): the primary key's
//! fingerprint and key id, its algorithm and size, and the user ids, which name the
//! person or bot that owns it.
//!
//! Sources: RFC 4880 section 4.2 (packet headers, old and new format), 5.5.2 (version 4
//! public key fields, which begin every secret key packet), 3.2 (MPIs), 12.2 (v4
//! fingerprint: SHA-1 of `0x99`, a two-octet length and the public key body; key id: its
//! low 64 bits) and 5.11 (User ID packets); RFC 9580 sections 5.5.2 and 5.5.4 (version 6
//! keys: a four-octet key material length, SHA-256 over `0x9B`, a four-octet length and
//! the body; key id: the high 64 bits) and 9.1 (algorithm ids 25-28); RFC 6637 and
//! RFC 9580 section 9.2 (curve OIDs). Hand-parsed: only the public-key framing is read,
//! nothing is decrypted, and a full OpenPGP implementation (rpgp) would pull dozens of
//! cipher crates and a newer compiler than this crate supports for a few header fields.

use sha2::{Digest, Sha256};

use super::keys::armor_around;
use super::{Context, Facts};

/// One packet: (tag, body).
fn packets(mut data: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    while let Some((&first, rest)) = data.split_first() {
        if first & 0x80 == 0 {
            break;
        }
        let (tag, len, rest) = if first & 0x40 != 0 {
            let tag = first & 0x3f;
            match rest {
                [a, rest @ ..] if *a < 192 => (tag, usize::from(*a), rest),
                [a, b, rest @ ..] if *a < 224 => (
                    tag,
                    ((usize::from(*a) - 192) << 8) + usize::from(*b) + 192,
                    rest,
                ),
                [255, a, b, c, d, rest @ ..] => {
                    (tag, u32::from_be_bytes([*a, *b, *c, *d]) as usize, rest)
                }
                // Partial lengths never frame key or user id packets.
                _ => break,
            }
        } else {
            let tag = (first >> 2) & 0x0f;
            match (first & 3, rest) {
                (0, [a, rest @ ..]) => (tag, usize::from(*a), rest),
                (1, [a, b, rest @ ..]) => (tag, usize::from(u16::from_be_bytes([*a, *b])), rest),
                (2, [a, b, c, d, rest @ ..]) => {
                    (tag, u32::from_be_bytes([*a, *b, *c, *d]) as usize, rest)
                }
                (3, rest) => (tag, rest.len(), rest),
                _ => break,
            }
        };
        if len > rest.len() {
            break;
        }
        out.push((tag, &rest[..len]));
        data = &rest[len..];
    }
    out
}

/// Reads an MPI at `at`: (bit count, the position after it).
fn mpi(body: &[u8], at: usize) -> Option<(u32, usize)> {
    let bits = u32::from(u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]));
    let end = at + 2 + (bits as usize).div_ceil(8);
    (end <= body.len()).then_some((bits, end))
}

/// Reads a length-prefixed OID at `at`: (OID bytes, the position after it).
fn oid(body: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let n = usize::from(*body.get(at)?);
    Some((body.get(at + 1..at + 1 + n)?, at + 1 + n))
}

fn curve(oid: &[u8]) -> Option<(&'static str, u32)> {
    Some(match oid {
        [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07] => ("NIST P-256", 256),
        [0x2B, 0x81, 0x04, 0x00, 0x22] => ("NIST P-384", 384),
        [0x2B, 0x81, 0x04, 0x00, 0x23] => ("NIST P-521", 521),
        [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01] => ("Ed25519", 256),
        [0x2B, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01] => ("Curve25519", 256),
        [0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07] => ("brainpoolP256r1", 256),
        [0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0B] => ("brainpoolP384r1", 384),
        [0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0D] => ("brainpoolP512r1", 512),
        _ => return None,
    })
}

/// (type, bits, end of the public fields) of the algorithm-specific fields at `at`.
fn public_fields(algo: u8, body: &[u8], at: usize) -> Option<(String, Option<u32>, usize)> {
    let mpis = |n: usize| -> Option<(u32, usize)> {
        let (first, mut end) = mpi(body, at)?;
        for _ in 1..n {
            end = mpi(body, end)?.1;
        }
        Some((first, end))
    };
    Some(match algo {
        1..=3 => {
            let (bits, end) = mpis(2)?;
            ("RSA".to_owned(), Some(bits), end)
        }
        17 => {
            let (bits, end) = mpis(4)?;
            ("DSA".to_owned(), Some(bits), end)
        }
        16 | 20 => {
            let (bits, end) = mpis(3)?;
            ("ELGAMAL".to_owned(), Some(bits), end)
        }
        18 | 19 | 22 => {
            let (o, at) = oid(body, at)?;
            let (_, mut end) = mpi(body, at)?;
            if algo == 18 {
                // ECDH KDF parameters: a length octet and that many octets.
                end += 1 + usize::from(*body.get(end)?);
            }
            let name = match algo {
                18 => "ECDH",
                19 => "ECDSA",
                _ => "EDDSA",
            };
            let (c, bits) = curve(o).map_or(("unknown curve", None), |(c, b)| (c, Some(b)));
            (format!("{name} {c}"), bits, end)
        }
        25 => ("X25519".to_owned(), Some(256), at + 32),
        26 => ("X448".to_owned(), Some(448), at + 56),
        27 => ("ED25519".to_owned(), Some(256), at + 32),
        28 => ("ED448".to_owned(), Some(456), at + 57),
        _ => return None,
    })
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// Facts of a secret key packet body: fingerprint, key id, type, bits.
fn key_facts(body: &[u8]) -> Option<Facts> {
    let version = *body.first()?;
    let (key_type, bits, fp, key_id) = match version {
        4 => {
            let (ty, bits, end) = public_fields(*body.get(5)?, body, 6)?;
            let public = body.get(..end)?;
            let mut h = vec![0x99];
            h.extend(u16::try_from(public.len()).ok()?.to_be_bytes());
            h.extend(public);
            let digest = sha1dc::digest(&h).ok()?;
            let fp = hex(digest.as_ref());
            let id = fp[fp.len() - 16..].to_owned();
            (ty, bits, fp, id)
        }
        5 | 6 => {
            let n = u32::from_be_bytes(body.get(6..10)?.try_into().ok()?) as usize;
            let (ty, bits, _) = public_fields(*body.get(5)?, body, 10)?;
            let public = body.get(..10 + n)?;
            let mut h = Sha256::new();
            h.update([if version == 6 { 0x9B } else { 0x9A }]);
            h.update((public.len() as u32).to_be_bytes());
            h.update(public);
            let fp = hex(&h.finalize());
            let id = fp[..16].to_owned();
            (ty, bits, fp, id)
        }
        _ => return None,
    };
    Some(Facts {
        key_fingerprint: Some(fp),
        key_id: Some(key_id),
        key_type: Some(key_type),
        key_bits: bits,
        ..Facts::default()
    })
}

/// The facts of a PGP private key block around the secret.
pub fn extract(secret: &str, cx: &Context<'_>) -> Option<Facts> {
    let armor = armor_around(secret, cx)?;
    if armor.label != "PGP PRIVATE KEY BLOCK" {
        return None;
    }
    let packets = packets(&armor.body);
    let mut f = packets
        .iter()
        .find(|(tag, _)| *tag == 5)
        .and_then(|(_, body)| key_facts(body))
        .unwrap_or_default();
    f.kind = Some("pgp-private-key".to_owned());
    f.user_ids = packets
        .iter()
        .filter(|(tag, _)| *tag == 13)
        .map(|(_, body)| String::from_utf8_lossy(body).into_owned())
        .collect();
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn gpg(home: &std::path::Path, args: &[&str]) -> String {
        let out = Command::new("gpg")
            .arg("--homedir")
            .arg(home)
            .args(["--batch", "--pinentry-mode", "loopback", "--passphrase", ""])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn fingerprints_and_user_ids_match_gpg() {
        crate::facts::keys::tests::need("gpg");
        for (algo, ty, bits) in [("ed25519", "EDDSA Ed25519", 256), ("rsa2048", "RSA", 2048)] {
            let home = tempfile::tempdir().unwrap();
            std::fs::set_permissions(
                home.path(),
                std::os::unix::fs::PermissionsExt::from_mode(0o700),
            )
            .unwrap();
            let uid = "Release Bot <release-bot@example.com>";
            gpg(
                home.path(),
                &["--quick-gen-key", uid, algo, "sign", "never"],
            );
            let listing = gpg(home.path(), &["--with-colons", "--list-secret-keys"]);
            let fpr = listing
                .lines()
                .find(|l| l.starts_with("fpr:"))
                .unwrap()
                .split(':')
                .nth(9)
                .unwrap()
                .to_owned();
            let text = gpg(home.path(), &["--armor", "--export-secret-keys"]);
            let at = text.find("-----BEGIN").unwrap();
            let cx = Context::new(text.as_bytes(), at, text.len());
            let f = extract(text[at..].trim(), &cx).unwrap();
            assert_eq!(f.key_fingerprint.as_deref(), Some(fpr.as_str()), "{algo}");
            assert_eq!(f.key_id.as_deref(), Some(&fpr[24..]));
            assert_eq!(f.user_ids, vec![uid.to_owned()]);
            assert_eq!(f.key_type.as_deref(), Some(ty));
            assert_eq!(f.key_bits, Some(bits));
        }
    }
}
