//! JSON documents kept as text inside a string literal (`"{\"password\": \"x\"}"`): a
//! request body or a header value recorded in a JSON fixture, an API collection or a
//! test. JSON writes a quotation mark inside a string as `\"` (RFC 8259, section 7), so
//! the document's members are read one level of escaping down, in place: each member is
//! judged by its own name, and a machine-made member of a document held under a credential
//! name (`"Apitoken": "{\"name\":\"ops\",\"sig\":\"...\"}"`) is that credential's secret
//! part, as the whole header value is the credential.

use super::formats::{Format, Kind};
use super::judge::{classify, keep};

/// Reads the members of the escaped JSON document in the literal content `v` (at offset
/// `at`), assigned to `parent` when the literal has a name.
pub(super) fn members(
    f: &Format,
    parent: Option<&[u8]>,
    v: &[u8],
    at: usize,
    out: &mut Vec<(Kind, usize, usize)>,
) {
    // An escaped object opens with `{\"` (blanks between): anything else
    // (`"say \"hi\""`) is prose.
    let object =
        memchr::memchr_iter(b'{', v).any(|o| v[skip_blanks(v, o + 1)..].starts_with(b"\\\""));
    if !object {
        return;
    }
    let parent_kind = parent.and_then(|p| classify(f, p));
    let mut k = 0;
    while let Some((ns, ne)) = string_at(v, k) {
        k = ne + 2;
        let Some(vs) = value_start(v, k) else {
            continue;
        };
        let Some((s, e)) = string_at(v, vs).filter(|&(s, _)| s == vs + 2) else {
            continue;
        };
        k = e + 2;
        let (name, value) = (&v[ns..ne], &v[s..e]);
        match classify(f, name) {
            Some(kind) => {
                if keep(kind, value, name) {
                    out.push((kind, at + s, at + e));
                }
            }
            // A member without a credential name (`sig`, `value`) under a credential name:
            // only a machine-made value is the secret (a name, a date or a flag is not).
            None => {
                if let Some(p) = parent.filter(|_| parent_kind.is_some()) {
                    if keep(Kind::Token, value, p) {
                        out.push((Kind::Token, at + s, at + e));
                    }
                }
            }
        }
    }
}

/// The string literal holding a document whose member's value starts at `s`
/// (`"Apitoken": "{\"sig\":\"<s>...`), as its line's start and its opening quote's
/// offset in that line, or None when `s` is not such a member's value: the literal's name
/// is the one a digest-shaped member whose own name says nothing is judged by.
pub(super) fn enclosing_literal(data: &[u8], s: usize) -> Option<(usize, usize)> {
    if s < 2 || &data[s - 2..s] != b"\\\"" {
        return None;
    }
    let line_start = memchr::memrchr(b'\n', &data[..s]).map_or(0, |i| i + 1);
    let line = &data[line_start..s];
    // The opening quote of the literal that is still open at `s`.
    let (mut open, mut i) = (None, 0);
    while i < line.len() {
        match (line[i], open) {
            (b'\\', _) => i += 1,
            (q @ (b'"' | b'\''), None) => open = Some((q, i)),
            (q, Some((o, _))) if q == o => open = None,
            _ => {}
        }
        i += 1;
    }
    open.map(|(_, q)| (line_start, q))
}

/// The content range of the next escaped string (`\"...\"`) at or after `from`.
fn string_at(v: &[u8], from: usize) -> Option<(usize, usize)> {
    let open = from + memchr::memmem::find(v.get(from..)?, b"\\\"")?;
    let s = open + 2;
    let close = s + memchr::memmem::find(&v[s..], b"\\\"")?;
    Some((s, close))
}

/// Where a member's value starts after its name ends at `k` (past the closing `\"`):
/// blanks and escaped blanks (`\n`, `\t`), a colon, blanks again.
fn value_start(v: &[u8], k: usize) -> Option<usize> {
    let k = skip_blanks(v, k);
    if v.get(k) != Some(&b':') {
        return None;
    }
    let k = skip_blanks(v, k + 1);
    v[k..].starts_with(b"\\\"").then_some(k)
}

fn skip_blanks(v: &[u8], mut k: usize) -> usize {
    loop {
        match v.get(k) {
            Some(b' ' | b'\t') => k += 1,
            Some(b'\\') if matches!(v.get(k + 1), Some(b'n' | b't' | b'r')) => k += 2,
            _ => return k,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::formats::FORMATS;

    fn found(slug: &str, parent: Option<&str>, v: &str) -> Vec<String> {
        let f = FORMATS.iter().find(|f| f.slug == slug).unwrap();
        let mut out = Vec::new();
        super::members(f, parent.map(str::as_bytes), v.as_bytes(), 0, &mut out);
        out.iter().map(|&(_, s, e)| v[s..e].to_owned()).collect()
    }

    #[test]
    fn members_are_judged_by_their_names() {
        let body = r#"{\"name\": \"kim\",\"password\": \"Gravel-Otter7\", \"im\": \"1\"}"#;
        assert_eq!(found("json", Some("RequestBody"), body), ["Gravel-Otter7"]);
        let connect = r#"CONNECT {\"verbose\":false,\"user\":\"ann\",\"pass\":\"Tarn#4410\"}\r\n"#;
        assert_eq!(found("source", None, connect), ["Tarn#4410"]);
        // Escaped blanks between a name and its value, as pretty-printed bodies have.
        let pretty = r#"\n{\n\t\"api_token\":\t\"q8Ry2mVt61LxPz0KwN4s\"\n}"#;
        assert_eq!(found("json", None, pretty), ["q8Ry2mVt61LxPz0KwN4s"]);
        // Placeholders stay placeholders one level down.
        let stand_in = r#"{\"user\":\"a\",\"password\":\"${DB_PASSWORD}\"}"#;
        assert!(found("json", None, stand_in).is_empty());
    }

    #[test]
    fn a_credential_named_document_holds_its_secret_in_a_machine_made_member() {
        let header = r#"{\"name\":\"ops\",\"sig\":\"9f2c1e7a5b3d48c0a1e2f3b4c5d6e7f8\"}"#;
        assert_eq!(
            found("json", Some("Apitoken"), header),
            ["9f2c1e7a5b3d48c0a1e2f3b4c5d6e7f8"]
        );
        // Under a name that says nothing, the same member is not a credential.
        assert!(found("json", Some("RequestBody"), header).is_empty());
        // Words, dates and flags under a credential name are not secrets.
        let meta = r#"{\"name\":\"ops\",\"created\":\"2021-03-04\",\"scope\":\"read\"}"#;
        assert!(found("json", Some("auth_token"), meta).is_empty());
    }

    #[test]
    fn a_member_value_knows_its_literal() {
        let line = r#"  "Apitoken": "{\"name\":\"ops\",\"sig\":\"9f2c1e7a\"}","#;
        let at = line.find("9f2c").unwrap();
        assert_eq!(super::enclosing_literal(line.as_bytes(), at), Some((0, 14)));
        let plain = r#"  "sig": "9f2c1e7a","#;
        let at = plain.find("9f2c").unwrap();
        assert_eq!(super::enclosing_literal(plain.as_bytes(), at), None);
    }

    #[test]
    fn quoted_prose_is_not_a_document() {
        let prose = r#"he said \"password\": \"Gravel-Otter7\" aloud"#;
        assert!(found("json", None, prose).is_empty());
        assert!(found("json", Some("token"), r#"{\"a\":"#).is_empty());
    }
}
