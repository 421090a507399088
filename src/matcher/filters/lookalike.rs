//! Look-alikes for the generic detector ([`super::generic_rejects_named`]): values shaped
//! like a credential that were typed or edited by hand, or that name something else.
//! Each is a property random key material almost never has, so a real credential is not
//! lost to it:
//! - two interleaved walks (`a1b2c3d4e5f6`, `1a2b-3c4d`): the interleaved form of the
//!   walks [`super::longest_walk`] already rejects;
//! - a token with one character that no issuer puts in a token (`?`, `|`, `!`, `^`, `#`:
//!   they break URLs, shells, headers and config files);
//! - a host name; PEM armor alone; a hex number literal; prose in a non-Latin script; a
//!   URL query string of several parameters;
//! - a fragment of a longer string ([`fragment_of_longer_value`]): a token cut short by a
//!   character the rule's class stops at before its closing quote;
//! - lower-case hex with one or two letters past `f` ([`hex_with_stray_letters`]);
//! - a publishable key (`pk_live_`, `live_pub_`), public by design ([`publishable_key`]).
//!
//! One place is judged for every detector ([`example_or_inline_data`]): a match inside
//! a `data:` URI's base64 payload is an image's bytes.
//!
//! Provider rules are left alone on purpose: hand-typed walks in a provider's exact
//! format (`da2-abcdef...`) are labelled as real credentials in the external benchmark's
//! sources as often as look-alikes (measured 2026-12-07: 21 positives lost for 13
//! look-alikes), so only the generic detector, which has no format to lean on, drops them.

/// Whether the letters and digits of `s`, read in two lanes (even and odd positions,
/// letters case-folded), walk six or more steps in one lane and four in the other:
/// `a1b2c3d4e5f6`, `1a2B3c4D-5e6F`. Punctuation is skipped so a dashed layout still counts.
pub fn interleaved_walk(s: &[u8]) -> bool {
    let alnum: Vec<u8> = s
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect();
    let lane = |off: usize| -> usize {
        let l: Vec<u8> = alnum.iter().skip(off).step_by(2).copied().collect();
        super::longest_walk(&l)
    };
    let (a, b) = (lane(0), lane(1));
    a.max(b) >= 6 && a.min(b) >= 4
}

/// Characters no token issuer puts in a token: `?` opens a URL query, `|` is a shell pipe,
/// `!` a shell history expansion, `^` cmd.exe's escape, `#` a comment in shells and
/// config files. One of them in the middle of an otherwise token-shaped value is an
/// edited look-alike (or two values run together), not an issued token. `%` and `@` are
/// left out: the external benchmark's sources hold as many real-labelled tokens with one
/// of them as look-alikes (2026-12-07: 3 positives lost for 2 look-alikes).
const FOREIGN_IN_TOKENS: &[u8] = b"?|!^#";

/// Whether a value under a token or key name (not a password: a person may put any
/// character in one) is a token with one foreign character inside: 16 or more
/// characters, all of a token's alphabet (letters, digits, `-_.~+/=:`) but exactly one of
/// [`FOREIGN_IN_TOKENS`], not at either end (`value!` and `?query` are other shapes).
pub fn edited_token(name_is_password: bool, s: &[u8]) -> bool {
    if name_is_password || s.len() < 16 {
        return false;
    }
    let mut foreign = s
        .iter()
        .enumerate()
        .filter(|(_, b)| !(b.is_ascii_alphanumeric() || b"-_.~+/=:".contains(b)));
    match (foreign.next(), foreign.next()) {
        (Some((i, b)), None) => FOREIGN_IN_TOKENS.contains(b) && i > 0 && i + 1 < s.len(),
        _ => false,
    }
}

/// Top-level domains that end most host names written in code and configuration.
const TLDS: &[&[u8]] = &[
    b"com",
    b"net",
    b"org",
    b"io",
    b"dev",
    b"app",
    b"co",
    b"ai",
    b"cloud",
    b"local",
    b"internal",
    b"edu",
    b"gov",
    b"info",
    b"biz",
    b"us",
    b"uk",
    b"de",
    b"fr",
    b"eu",
];

/// Whether `s` is a host name (`api.example.com`, `4f2a.service.net`): two or more dotted
/// labels of lowercase letters, digits and `-`, the last a common top-level domain. A
/// host says where a service is, not how to log in to it.
pub fn host_name(s: &[u8]) -> bool {
    let labels: Vec<&[u8]> = s.split(|&b| b == b'.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.iter()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        })
        && labels.last().is_some_and(|t| TLDS.contains(t))
}

/// Whether `s` is (or starts with) PEM armor, `-----BEGIN ...`: the private key rules
/// judge the block; a generic `private_key = "-----BEGIN..."` line alone is only its header.
pub fn pem_armor(s: &[u8]) -> bool {
    s.starts_with(b"-----")
}

/// Whether `s` is a hexadecimal number literal (`0x1F4aC9...`): a constant, an address or
/// a hash in code, written the way numbers are, not a password.
pub fn number_literal(s: &[u8]) -> bool {
    s.len() > 2
        && (s.starts_with(b"0x") || s.starts_with(b"0X"))
        && s[2..].iter().all(u8::is_ascii_hexdigit)
}

/// Whether `s` is largely letters outside ASCII (four or more, a third of its characters
/// or more: `從authenticator輸入的驗證碼`): UI text or prose in another language, not a
/// credential. A password with an accented letter or two stays.
pub fn foreign_prose(s: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(s) else {
        return false;
    };
    let (mut other, mut all) = (0usize, 0usize);
    for c in text.chars() {
        all += 1;
        if !c.is_ascii() && c.is_alphabetic() {
            other += 1;
        }
    }
    other >= 4 && other * 3 >= all
}

/// Whether `s` is a URL query string (`st=2025-03-04&se=2025-04-04&sr=c`): several named
/// parameters, of which a secret would be one, not the whole.
pub fn query_string(s: &[u8]) -> bool {
    let params: Vec<&[u8]> = s.split(|&b| b == b'&').collect();
    params.len() >= 2
        && params.iter().all(|p| {
            p.iter().position(|&b| b == b'=').is_some_and(|i| {
                (1..=24).contains(&i)
                    && p[..i]
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            })
        })
}

/// Whether a generic token's value at `start..end` is a piece of a longer value that the
/// rule's character class cut short: opened by a quote and followed by a character the
/// class stops at (`,`, `;`, a bracket, another quote) rather than the closing quote
/// (`"mQ1yoFjk5JLlx,6TNc83rt..."`), or by a space and more text (a sentence in a string);
/// or, unquoted, followed by a bracket (`tok(rx5f)`, a call or an index). A token is the
/// whole quoted value, not a fragment of it. A value cut by the class's length limit is
/// followed by a character the class accepts, and is kept. Passwords are not judged here:
/// a person's password may hold spaces and any punctuation.
pub fn fragment_of_longer_value(data: &[u8], start: usize, end: usize) -> bool {
    let Some(&after) = data.get(end) else {
        return false;
    };
    let stops_class = |b: u8| b.is_ascii_whitespace() || b"\"'`;,<>(){}[]".contains(&b);
    if !stops_class(after) || after == b'\n' || after == b'\r' {
        return false;
    }
    let opened = start
        .checked_sub(1)
        .map(|i| data[i])
        .filter(|b| matches!(b, b'"' | b'\'' | b'`'));
    match opened {
        Some(q) if after == b' ' || after == b'\t' => {
            // Spaces before the closing quote (`'tkn.v1_...= '`) are padding, not prose.
            let rest = &data[end..];
            let next = rest.iter().position(|&b| b != b' ' && b != b'\t');
            next.is_some_and(|i| rest[i] != q && rest[i] != b'\n' && rest[i] != b'\r')
        }
        Some(q) => after != q,
        None => matches!(after, b'(' | b'[' | b'{'),
    }
}

/// Whether a part of `s` (between `-`, `_` and `.`) of 20 or more characters is lower-case
/// hex but for one or two letters past `f`: `5488620aa9073q09f1a16e2b...`, a hex key
/// edited by hand or a hex key run into a word. Random base-36 text that long almost
/// never stays within hex so nearly (odds near 1 in 40,000 at 20 characters, falling
/// twentyfold with every five more), and issued hex keys hold no other letter.
pub fn hex_with_stray_letters(s: &[u8]) -> bool {
    s.split(|b| matches!(b, b'-' | b'_' | b'.')).any(|part| {
        let stray = part.iter().filter(|b| (b'g'..=b'z').contains(b)).count();
        part.len() >= 20
            && (1..=2).contains(&stray)
            && part
                .iter()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
            && part.iter().any(u8::is_ascii_digit)
            && part.iter().any(|b| (b'a'..=b'f').contains(b))
    })
}

/// Prefixes of publishable keys, which their issuers make to be embedded in web pages
/// and mobile apps: Stripe's `pk_live_`/`pk_test_` ("Publishable keys ... can be publicly
/// accessible in your web or mobile app's client-side code") and Lob's `live_pub_`/
/// `test_pub_`. Such a key identifies an account; it grants nothing a secret would.
const PUBLISHABLE_PREFIXES: &[&[u8]] = &[b"pk_live_", b"pk_test_", b"live_pub_", b"test_pub_"];

/// Whether `s` is a publishable key ([`PUBLISHABLE_PREFIXES`]): public by design, as
/// Datadog's `pub` client tokens are.
pub fn publishable_key(s: &[u8]) -> bool {
    PUBLISHABLE_PREFIXES.iter().any(|p| s.starts_with(p))
}

/// Whether the match at `start` lies inside the base64 payload of a `data:` URI
/// (`data:image/jpeg;base64,/9j/4AAQ...`): an image's or font's bytes, where a provider's
/// alphabet turns up by chance (`EAA` and a hundred letters), not a token. What the
/// payload decodes to is scanned on its own ([`crate::matcher::decode`]).
pub fn inside_data_uri(data: &[u8], start: usize) -> bool {
    // A payload longer than this is not walked back over (the cost would grow with every
    // match inside it); such a match is judged as any other.
    const MAX_WALK: usize = 1 << 20;
    let floor = start.saturating_sub(MAX_WALK);
    let Some(open) = data[floor..start]
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
    else {
        return false;
    };
    let head = &data[..floor + open + 1];
    let Some(head) = head.strip_suffix(b";base64,") else {
        return false;
    };
    // `data:` and a media type (`image/png`, `font/woff2;charset=utf-8`) before it.
    let from = head.len().saturating_sub(100);
    memchr::memmem::rfind(&head[from..], b"data:").is_some_and(|i| {
        head[from + i + 5..].iter().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'/' | b'+' | b'-' | b'.' | b';' | b'=')
        })
    })
}

/// Whether where a match sits says it is no credential, for every detector: a password
/// in a documentation URL ([`super::standin::documentation_url_password`]) or bytes
/// inside a data URI ([`inside_data_uri`]).
pub fn example_or_inline_data(data: &[u8], start: usize, end: usize) -> bool {
    super::standin::documentation_url_password(data, start, end) || inside_data_uri(data, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaved_walks() {
        for v in [
            "key_a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
            "1a2b3C4d-5E6f-7g8H-9i0J-k1l2M3n4o5p6",
            "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6",
            "9i8h7g6f-5e4d-3c2b-1a0z-y9x8w7v6u5t4",
        ] {
            assert!(interleaved_walk(v.as_bytes()), "{v}");
        }
        for v in [
            "Zq8rT2mK9vX4pL7wN3bH6jF1",
            "3f9d2c71a0b84e6f9c15d7a2e8b4f061",
            "ghp_Zq8rT2mK9vX4pL7wN3bH6jF1aB0cD9eF2gH3",
            "a1b2c3Zq8rT2mK9vX4pL7w",
        ] {
            assert!(!interleaved_walk(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn edited_tokens_hold_one_foreign_character() {
        for v in [
            "Kp7vQ2mZ8xR4?tL9wN3b",
            "Kp7vQ2mZ8xR4|tL9wN3bH6j",
            "b7Qz-3Lk9!Rt2Vx8mW4p",
            "Kp7vQ2mZ8xR4^tL9wN3bH6j",
            "b7Qz-3Lk9#Rt2Vx8mW4p",
        ] {
            assert!(edited_token(false, v.as_bytes()), "{v}");
        }
        // A password may hold anything; two foreign characters, one at an end, another
        // character (`%`, `@`, `&`) or a short value are other shapes.
        assert!(!edited_token(true, b"Kp7vQ2mZ8xR4?tL9wN3b"));
        for v in [
            "Kp7vQ2mZ8xR4?tL9w!N3b",
            "Kp7vQ2mZ8xR4tL9wN3b!",
            "Kp7vQ2mZ8xR4%tL9wN3b",
            "Kp7vQ2mZ8xR4@tL9wN3b",
            "Kp7v?Q2mZ8x",
            "Zq8rT2mK9vX4pL7wN3bH6jF1",
        ] {
            assert!(!edited_token(false, v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn numbers_prose_and_queries() {
        assert!(number_literal(b"0x7fA3c91E04d2B865"));
        assert!(!number_literal(b"0x7fA3c91E04d2B86z"));
        assert!(!number_literal(b"7fA3c91E04d2B865"));
        assert!(foreign_prose(
            "請輸入authenticator的驗證碼共6位數字".as_bytes()
        ));
        assert!(!foreign_prose("Pässwort-Zq8rT2mK9v".as_bytes()));
        assert!(query_string(b"sv=2022-11-02&st=2025-01-01T00:00:00Z&sr=c"));
        assert!(!query_string(b"apikeyvalue&name=x"));
        assert!(!query_string(b"Zq8rT2mK9vX4pL7w=="));
        assert!(!query_string(b"git&2025&Zq8rT2mK9vX4pL7w"));
    }

    #[test]
    fn host_names_and_armor() {
        assert!(host_name(b"9c1e7a.billing-service.com"));
        assert!(host_name(b"api.internal"));
        assert!(!host_name(b"Zq8rT2mK.9vX4pL7w"));
        assert!(!host_name(b"v2.Zq8rT2mK9vX4pL7w.xyzzy"));
        assert!(!host_name(b"Zq8rT2mK9vX4pL7wN3bH6jF1"));
        assert!(pem_armor(b"-----BEGIN RSA PRIVATE KEY-----"));
        assert!(!pem_armor(b"MIIEvQIBADANBgkq"));
    }

    #[test]
    fn a_generic_token_cut_from_a_longer_string_is_a_fragment() {
        let at = |line: &str, secret: &str| {
            let start = line.find(secret).expect("secret in line");
            fragment_of_longer_value(line.as_bytes(), start, start + secret.len())
        };
        assert!(at(r#"tok := "mQ1yoFjk5JLlx,6TNc83rt""#, "mQ1yoFjk5JLlx"));
        assert!(at(r#"key := "yUeIqnFwILOIlEPy[qy]""#, "yUeIqnFwILOIlEPy"));
        assert!(at(r#"tok := "sjbuxa3m-vs4n- ykl8-8jpv""#, "sjbuxa3m-vs4n-"));
        assert!(at(
            "url := x?auth_token=l7psk7wkedkpiyp4j(rx5f)",
            "l7psk7wkedkpiyp4j"
        ));
        // Whole values: closed by their quote, padded before it, at a line's end, or cut
        // by the class's length limit (the next character is one the class accepts).
        assert!(!at(
            r#"tok = "Zk3-9vQm_Tr7LpX2wN8s""#,
            "Zk3-9vQm_Tr7LpX2wN8s"
        ));
        assert!(!at("tok = 'tkn.v1_LggER0OG5HCo= '", "tkn.v1_LggER0OG5HCo="));
        assert!(!at("TOKEN=Zk3-9vQm_Tr7LpX2wN8s\n", "Zk3-9vQm_Tr7LpX2wN8s"));
        assert!(!at(
            r#"tok = "Zk3-9vQm_Tr7LpX2wN8sAbC""#,
            "Zk3-9vQm_Tr7LpX2wN8s"
        ));
        // An unquoted value ends at a comma: whole.
        let listed = format!("TOKEN={}, next", "Zk3-9vQm_Tr7LpX2wN8s");
        assert!(!at(&listed, "Zk3-9vQm_Tr7LpX2wN8s"));
    }

    #[test]
    fn hex_with_one_or_two_stray_letters_is_edited() {
        for v in [
            "9d41c7e08ab3f5q26e1d0c9b7a4f3e82",
            "c0ffee81d4b29a7e5r3c60f1d8e2b94a",
            "tok-4e9a1c07b3d5f82e6a0c9d1b7e3f5a2dwad",
        ] {
            assert!(hex_with_stray_letters(v.as_bytes()), "{v}");
        }
        for v in [
            // Hex itself, upper case, base-36 with many letters past `f`, short parts.
            "9d41c7e08ab3f5b26e1d0c9b7a4f3e82",
            "9D41C7E08AB3F5Q26E1D0C9B7A4F3E82",
            "k3v9x2m7q1w8z4r6t0y5u9p2n7s3l8j4",
            "key-4e9a1c07b3d5q82",
        ] {
            assert!(!hex_with_stray_letters(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn publishable_keys_are_public() {
        assert!(publishable_key(b"pk_live_51Qz8rT2mK9vX4pL7wN3bH6jF1aB0cD"));
        assert!(publishable_key(b"test_pub_4e9a1c07b3d5f82e6a0c9d1b7e3f5a2"));
        assert!(!publishable_key(b"sk_live_51Qz8rT2mK9vX4pL7wN3bH6jF1aB0cD")); // keytrace:allow
        assert!(!publishable_key(b"live_sk_4e9a1c07b3d5f82e6a0c9d1b7e3f5a2"));
    }

    #[test]
    fn a_match_inside_a_data_uri_is_image_bytes() {
        let token = "EAAKq9vT2mZ8xR4pL7wN3bH6jF1aB0cD9eF2gH3"; // keytrace:allow
        let at = |line: &str| {
            let start = line.find(token).expect("token in line");
            inside_data_uri(line.as_bytes(), start)
        };
        assert!(at(&format!(
            r#"<img src="data:image/jpeg;base64,/9j/4AAQSk+Zk3/{token}Qx">"#
        )));
        assert!(at(&format!(
            "url(data:font/woff2;charset=utf-8;base64,d09GMg{token})"
        )));
        // The token itself, after a name, in a URL, or after a `base64,` that opens no
        // data URI, is judged as any other.
        assert!(!at(&format!("FB_TOKEN={token}")));
        assert!(!at(&format!(
            "https://graph.example.test/me?access_token={token}"
        )));
        assert!(!at(&format!("encoding: base64,{token}")));
        assert!(!at(token));
    }
}
