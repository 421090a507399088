//! The sections enclosing a line: the names of the blocks a config field sits in, read
//! from the structure of the text above it, nearest first. YAML and pretty-printed JSON,
//! JavaScript, Python or PHP objects nest by indentation (`twilio:`, `"sendgrid": {`,
//! `'mailgun' => [`, `const acme = {`), XML by parent elements (`<mailchimp>`), INI and
//! TOML by a section header (`[twilio]`, `[providers.mailgun]`), and a one-line object or
//! element nests on the field's own line (`{"acme": {"key": ...`, `<acme><key>...`).
//!
//! The matcher asks this only for a generic match no provider word near it claims, so a
//! provider named as the parent key of a block further up (a section of thirty lines)
//! still ties the key to it. Reading is bounded ([`MAX_LINES`], [`MAX_BYTES`]) and stops
//! at the first less-indented line it cannot read as a block opener: an unknown structure
//! (a function, a prose paragraph) names no section.

use std::collections::HashMap;
use std::ops::Range;

use memchr::memrchr;

use crate::rules::RulePack;

/// How many lines above the field the enclosing blocks are looked for.
pub(crate) const MAX_LINES: usize = 30;
/// How many bytes above the field those lines may take.
const MAX_BYTES: usize = 4096;

/// Words that may follow a provider's name in a section named after it (`twilio_api`,
/// `mailgunConfig`, `acme-settings`), said of the provider's block as a whole.
const SUFFIXES: &[&[u8]] = &[
    b"api",
    b"config",
    b"configuration",
    b"settings",
    b"options",
    b"credentials",
    b"creds",
    b"auth",
    b"account",
    b"client",
    b"service",
];

/// Which context rules a section name claims: the rules' keywords that are plain words
/// (`twilio`, `abstract_api`, `atera:`; not hosts such as `api.acme.io`), compared in lower
/// case without separators, so `abstractApi`, `abstract-api` and `[abstract_api]` agree.
/// Keywords are the provider words the rule writer chose as distinctive, so a provider
/// whose name is an ordinary word (`box`) is claimed by its keywords only
/// (`box_client_secret`), never by a section called `box`.
#[derive(Debug, Clone, Default)]
pub(crate) struct SectionNames {
    rules: HashMap<Vec<u8>, Vec<u32>>,
}

impl SectionNames {
    /// The names of the context rules of `pack`.
    pub(crate) fn new(pack: &RulePack) -> SectionNames {
        let mut rules: HashMap<Vec<u8>, Vec<u32>> = HashMap::new();
        for (i, rule) in pack.rules().iter().enumerate() {
            if rule.spec.value.is_none() {
                continue;
            }
            for kw in &rule.spec.keywords {
                // A keyword written with its separator (`acme:`, `acme `) names it too.
                let kw = kw.trim_end_matches([':', '=', ' ', '\t']);
                if !kw
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                {
                    continue;
                }
                let key = normalize(kw.as_bytes());
                if key.len() < 3 {
                    continue;
                }
                let list = rules.entry(key).or_default();
                if !list.contains(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        SectionNames { rules }
    }

    /// The rules a section called `name` claims, if it names a provider.
    pub(crate) fn rules(&self, name: &[u8]) -> Option<&[u32]> {
        let key = normalize(name);
        if let Some(r) = self.rules.get(&key) {
            return Some(r);
        }
        SUFFIXES.iter().find_map(|s| {
            let stem = key.strip_suffix(*s)?;
            self.rules.get(stem).map(Vec::as_slice)
        })
    }
}

/// The context rule of the provider the section enclosing the byte `at` is named after
/// (`twilio:` over a YAML block, `[providers.mailgun]`, `"sendgrid": {`, `<mailchimp>`),
/// up to [`MAX_LINES`] lines above, among those `accepts` (the value fits its class and
/// checks). The name must be a provider word whole (or one with a suffix such as `_api`,
/// `Config`), not a word that holds one; a section named otherwise (`production:`,
/// `secrets:`) says nothing and the next one up is read. The nearest section naming a
/// provider decides: when that provider's keys look different, a section further up
/// does not take the value. `names` is asked for only when there is a section.
pub(crate) fn claim<'n>(
    data: &[u8],
    at: usize,
    names: impl FnOnce() -> &'n SectionNames,
    accepts: &dyn Fn(u32) -> bool,
) -> Option<u32> {
    let sections = enclosing(data, at);
    if sections.is_empty() {
        return None;
    }
    let names = names();
    sections
        .into_iter()
        .find_map(|r| names.rules(&data[r]))
        .and_then(|rules| rules.iter().copied().find(|&r| accepts(r)))
}

/// Lower case, letters and digits only.
fn normalize(name: &[u8]) -> Vec<u8> {
    name.iter()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect()
}

/// The names of the sections enclosing the byte `at`, nearest first, as spans of `data`.
/// A dotted name (`[providers.mailgun]`, `spring.acme:`) gives each part, the last one
/// nearest.
pub(crate) fn enclosing(data: &[u8], at: usize) -> Vec<Range<usize>> {
    let mut names = Vec::new();
    let ls = memrchr(b'\n', &data[..at]).map_or(0, |i| i + 1);
    same_line(data, ls, at, &mut names);
    let floor = ls.saturating_sub(MAX_BYTES);
    let mut indent = indent_of(&data[ls..at]);
    let mut pos = ls;
    for _ in 0..MAX_LINES {
        if pos <= floor {
            break;
        }
        // The line above: [start, pos - 1).
        let end = pos - 1;
        let start = memrchr(b'\n', &data[floor..end]).map_or(floor, |i| floor + i + 1);
        pos = start;
        if start == floor && floor > 0 {
            // Cut by the byte bound: not a whole line.
            break;
        }
        let line = &data[start..end];
        let ind = indent_of(line);
        let body = line[ind..].trim_ascii_end();
        if body.is_empty() || is_comment(body) {
            continue;
        }
        if let Some(name) = header(body) {
            push_parts(
                start + ind + name.start,
                start + ind + name.end,
                data,
                &mut names,
            );
            // A header owns every line below it down to the next one.
            break;
        }
        if ind >= indent {
            // A sibling of the field, or a line inside a sibling block.
            continue;
        }
        let base = start + ind;
        if let Some(rest) = body.strip_prefix(b"- ") {
            // A YAML sequence item: its first key is a sibling of the fields below it,
            // unless it opens a block of its own that holds the field.
            let skip = 2 + rest.len() - rest.trim_ascii_start().len();
            let item = &body[skip..];
            if indent > ind + skip {
                if let Some(name) = opener(item) {
                    push_parts(
                        base + skip + name.start,
                        base + skip + name.end,
                        data,
                        &mut names,
                    );
                }
            }
            indent = ind;
            continue;
        }
        match opener(body) {
            Some(name) => {
                push_parts(base + name.start, base + name.end, data, &mut names);
                indent = ind;
            }
            None => break,
        }
        if indent == 0 {
            break;
        }
    }
    names
}

/// Pushes each dot-separated part of `data[start..end]`, the last first.
fn push_parts(start: usize, end: usize, data: &[u8], names: &mut Vec<Range<usize>>) {
    let mut e = end;
    for i in (start..end).rev() {
        if data[i] == b'.' {
            if i + 1 < e {
                names.push(i + 1..e);
            }
            e = i;
        }
    }
    if start < e {
        names.push(start..e);
    }
}

/// The blocks opened and not closed on the field's own line before it (`{"acme": {"`,
/// `<acme><`), innermost first. The innermost XML element is the field itself.
fn same_line(data: &[u8], ls: usize, at: usize, names: &mut Vec<Range<usize>>) {
    let line = &data[ls..at];
    if !line.iter().any(|&c| c == b'{' || c == b'<') {
        return;
    }
    // Each open block with the name it was opened under (None: unnamed).
    let mut stack: Vec<Option<Range<usize>>> = Vec::new();
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'{' | b'[' => stack.push(key_before(line, i)),
            b'}' | b']' => {
                stack.pop();
            }
            b'<' => {
                let rest = &line[i + 1..];
                let close = rest.first() == Some(&b'/');
                let n0 = i + 1 + usize::from(close);
                let len = line[n0..].iter().take_while(|&&c| is_name(c)).count();
                let tag_end = line[i..].iter().position(|&c| c == b'>').map(|p| i + p);
                if len > 0 && close {
                    stack.pop();
                } else if len > 0 && !matches!(tag_end, Some(e) if line[e - 1] == b'/') {
                    stack.push(Some(n0..n0 + len));
                }
                if let Some(e) = tag_end {
                    i = e;
                }
            }
            _ => {}
        }
        i += 1;
    }
    // An element opened last, with the field after it (`<apiKey>` then the value), is the
    // field itself, not a section; a value in braces has no such wrapper.
    if line.trim_ascii_end().ends_with(b">") {
        if let Some(Some(r)) = stack.last() {
            if line.get(r.start.wrapping_sub(1)) == Some(&b'<') {
                stack.pop();
            }
        }
    }
    for r in stack.into_iter().rev().flatten() {
        push_parts(ls + r.start, ls + r.end, data, names);
    }
}

/// The key a brace at `brace` is assigned to on its line (`"acme": {`, `acme = {`).
fn key_before(line: &[u8], brace: usize) -> Option<Range<usize>> {
    let before = line[..brace].trim_ascii_end();
    let before = before
        .strip_suffix(b"=>")
        .or_else(|| before.strip_suffix(b":"))
        .or_else(|| before.strip_suffix(b"="))?
        .trim_ascii_end();
    let before = before
        .strip_suffix(b"\"")
        .or_else(|| before.strip_suffix(b"'"))
        .unwrap_or(before);
    let len = before.iter().rev().take_while(|&&c| is_name(c)).count();
    (len > 0).then(|| before.len() - len..before.len())
}

/// The name of an INI or TOML section header (`[acme]`, `[[providers.acme]]`,
/// `[providers."acme"]`), as a span of `body`.
fn header(body: &[u8]) -> Option<Range<usize>> {
    let open = body.iter().take_while(|&&c| c == b'[').count();
    if !(1..=2).contains(&open) {
        return None;
    }
    let close = body.iter().rev().take_while(|&&c| c == b']').count();
    if close != open || body.len() <= 2 * open {
        return None;
    }
    let inner = open..body.len() - close;
    body[inner.clone()]
        .iter()
        .all(|&c| is_name(c) || c == b'"' || c == b' ')
        .then_some(inner)
}

/// The key of a line that opens a block: a YAML key with nothing after it (`acme:`),
/// an object or array assigned to a key (`"acme": {`, `acme = {`, `'acme' => [`,
/// `const acme = {`, `acme {`), or an XML element left open (`<acme>`).
fn opener(body: &[u8]) -> Option<Range<usize>> {
    if let Some(rest) = body.strip_prefix(b"<") {
        let len = rest.iter().take_while(|&&c| is_name(c)).count();
        let closed = body.ends_with(b"/>") || memchr::memmem::find(body, b"</").is_some();
        return (len > 0 && body.ends_with(b">") && !closed).then_some(1..1 + len);
    }
    let code = match memchr::memmem::find(body, b" #") {
        Some(i) => body[..i].trim_ascii_end(),
        None => body,
    };
    let mut start = 0;
    for decl in [&b"export "[..], b"const ", b"let ", b"var "] {
        if code[start..].starts_with(decl) {
            start += decl.len();
        }
    }
    let quoted = matches!(code.get(start), Some(b'"' | b'\''));
    let n0 = start + usize::from(quoted);
    let len = code[n0..].iter().take_while(|&&c| is_name(c)).count();
    if len == 0 {
        return None;
    }
    let mut rest = &code[n0 + len..];
    if quoted {
        rest = rest.strip_prefix(&code[start..=start])?;
    }
    let rest = rest.trim_ascii_start();
    let opens = |r: &[u8]| matches!(r.trim_ascii(), b"{" | b"[" | b"(" | b"");
    let ok = match rest {
        [b':', r @ ..] => r.is_empty() || (opens(r) && !r.trim_ascii().is_empty()),
        [b'=', b'>', r @ ..] | [b'=', r @ ..] => !r.trim_ascii().is_empty() && opens(r),
        b"{" => true,
        _ => false,
    };
    ok.then_some(n0..n0 + len)
}

/// Whether the line is a comment alone.
fn is_comment(body: &[u8]) -> bool {
    [&b"#"[..], b"//", b";", b"<!--", b"/*", b"*"]
        .iter()
        .any(|p| body.starts_with(p))
}

/// The width of a line's leading spaces and tabs.
fn indent_of(line: &[u8]) -> usize {
    line.iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count()
}

/// A byte of a key or element name.
fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'$')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RulePack;

    /// The enclosing names of the line holding `field`, nearest first.
    fn names(text: &str, field: &str) -> Vec<String> {
        let at = text.find(field).expect("field in text");
        enclosing(text.as_bytes(), at)
            .into_iter()
            .map(|r| text[r].to_owned())
            .collect()
    }

    #[test]
    fn yaml_blocks_nest_by_indentation() {
        let text =
            "services:\n  twilio:\n    region: us1\n    nested:\n      a: 1\n    auth_token: v\n";
        assert_eq!(names(text, "auth_token"), ["twilio", "services"]);
        // A sibling block above is not a parent.
        let text = "twilio:\n  region: us1\nother:\n  key: v\n";
        assert_eq!(names(text, "key"), ["other"]);
        // A less indented plain value is a structure not understood: nothing further up.
        let text = "twilio:\n  a: 1\n b: 2\n   key: v\n";
        assert!(names(text, "key").is_empty());
    }

    #[test]
    fn yaml_sequence_items_pass_to_their_list() {
        let text = "providers:\n  - name: acme\n    key: v\n";
        assert_eq!(names(text, "key"), ["providers"]);
        let text = "providers:\n  - acme:\n      key: v\n";
        assert_eq!(names(text, "key"), ["acme", "providers"]);
    }

    #[test]
    fn ini_and_toml_headers_own_the_lines_below() {
        let text = "[acme]\nregion = gb\n\n; note\nkey = v\n";
        assert_eq!(names(text, "key"), ["acme"]);
        let text = "[other]\nx = 1\n[providers.mailgun]\nkey = v\n";
        assert_eq!(names(text, "key"), ["mailgun", "providers"]);
        let text = "[[providers.\"acme\"]]\nkey = v\n";
        assert_eq!(names(text, "key"), ["\"acme\"", "providers"]);
    }

    #[test]
    fn objects_in_json_and_code_nest_by_indentation() {
        let text = "{\n  \"sendgrid\": {\n    \"from\": \"a\",\n    \"api_key\": \"v\"\n  }\n}\n";
        assert_eq!(names(text, "\"api_key"), ["sendgrid"]);
        let text = "return [\n    'mailgun' => [\n        'secret' => 'v',\n    ],\n];\n";
        assert_eq!(names(text, "'secret"), ["mailgun"]);
        let text = "export const acme = {\n  apiKey: 'v',\n};\n";
        assert_eq!(names(text, "apiKey"), ["acme"]);
        let text = "acme {\n  key = \"v\"\n}\n";
        assert_eq!(names(text, "key"), ["acme"]);
        // A function is not a section.
        let text = "def acme():\n    key = 'v'\n";
        assert!(names(text, "key").is_empty());
    }

    #[test]
    fn xml_parents_are_open_elements() {
        let text = "<config>\n  <mailchimp>\n    <dc>us1</dc>\n    <apiKey>v</apiKey>\n  </mailchimp>\n</config>\n";
        assert_eq!(names(text, "apiKey"), ["mailchimp", "config"]);
        let text = "<mailchimp><region>x</region><apiKey>v</apiKey></mailchimp>\n";
        assert_eq!(names(text, "apiKey>v"), ["mailchimp"]);
    }

    #[test]
    fn one_line_objects_nest_on_the_line() {
        let text = "{\"acme\": {\"region\": \"gb\", \"key\": \"v\"}}\n";
        assert_eq!(names(text, "key"), ["acme"]);
        let text = "{\"other\": {\"a\": 1}, \"key\": \"v\"}\n";
        assert!(names(text, "key").is_empty());
    }

    #[test]
    fn a_section_names_a_provider_by_a_whole_keyword() {
        let pack = RulePack::builtin();
        let names = SectionNames::new(&pack);
        let id = |name: &str| {
            names
                .rules(name.as_bytes())
                .map(|r| pack.get(r[0] as usize).spec.id.clone())
        };
        for name in [
            "adzuna",
            "Adzuna",
            "adzuna_api",
            "adzunaConfig",
            "\"adzuna\"",
        ] {
            assert_eq!(id(name).as_deref(), Some("adzuna.app-key"), "{name}");
        }
        // A keyword written with its separator (`atera:`) names its provider.
        assert_eq!(id("atera").as_deref(), Some("atera.api-key"));
        // A longer word holding the name, or a suffix not said of a provider's block.
        for name in [
            "adzunas",
            "myadzuna",
            "adzuna_jobs",
            "secrets",
            "credentials",
        ] {
            assert_eq!(id(name), None, "{name}");
        }
    }

    /// The rule ids the built-in pack reports in `text`.
    fn rule_ids(text: &str) -> Vec<String> {
        let pack = RulePack::builtin();
        let pf = crate::matcher::Prefilter::new(&pack).expect("automaton builds");
        let mut m = crate::matcher::Matcher::new(&pack, &pf, Default::default());
        let mut out = vec![];
        m.scan(text.as_bytes(), "settings.yaml", &mut out);
        out.iter()
            .map(|r| pack.get(r.rule as usize).spec.id.clone())
            .collect()
    }

    // Made-up 32-hex and 64-hex values, written in two halves so this file holds no
    // literal a scan of the repository reports.
    const HEX32: &str = concat!("7a3e91c04db25f68", "e1c7093b4fa2d856");
    const HEX64: &str = concat!(
        "8d2f6a1c9e3b7d5f0a4c8e2b6d1f9a3c",
        "7e5b0d4f8a2c6e1b9d3f7a5c0e4b8d2f"
    );

    #[test]
    fn a_key_deep_in_a_provider_section_is_that_providers() {
        let fill = "    region: gb\n    country: uk\n    timeout: 30\n    retries: 3\n";
        let yaml = format!("services:\n  adzuna:\n{fill}    key: {HEX32}\n");
        assert_eq!(rule_ids(&yaml), ["adzuna.app-key"]);
        // A section named otherwise between the two says nothing.
        let yaml = format!("adzuna:\n  production:\n{fill}    api_token: {HEX32}\n");
        assert_eq!(rule_ids(&yaml), ["adzuna.app-key"]);
        let json = format!(
            "{{\n  \"adzuna\": {{\n    \"region\": \"gb\",\n    \"a\": 1,\n    \"b\": 2,\n    \"key\": \"{HEX32}\"\n  }}\n}}\n"
        );
        assert_eq!(rule_ids(&json), ["adzuna.app-key"]);
        let toml =
            format!("[providers.ambee]\nunits = 1\nlang = 2\nretries = 3\nkey = \"{HEX64}\"\n");
        assert_eq!(rule_ids(&toml), ["ambee.api-key"]);
        let xml = format!(
            "<adzuna>\n  <a>1</a>\n  <b>2</b>\n  <c>3</c>\n  <key>{HEX32}</key>\n</adzuna>\n"
        );
        assert_eq!(rule_ids(&xml), ["adzuna.app-key"]);
    }

    #[test]
    fn a_section_that_is_not_the_providers_claims_nothing() {
        let fill = "  a: 1\n  b: 2\n  c: 3\n";
        // A sibling section, a generic one, a word holding the provider's name.
        for parent in ["logging", "secrets", "credentials", "adzunas"] {
            let yaml = format!("adzuna:\n  region: gb\n{parent}:\n{fill}  key: {HEX32}\n");
            assert!(rule_ids(&yaml).is_empty(), "{parent}");
        }
        // The nearest section names a provider whose keys look different (Ambee's are
        // 64 hex): a provider named further up does not take the value.
        let yaml = format!("adzuna:\n  ambee:\n    a: 1\n    b: 2\n    key: {HEX32}\n");
        assert!(rule_ids(&yaml).is_empty());
        // Thirty lines and more above: too far.
        let far = format!("adzuna:\n{}  key: {HEX32}\n", "  f: 1\n".repeat(MAX_LINES));
        assert!(rule_ids(&far).is_empty());
    }

    #[test]
    fn the_look_back_is_bounded() {
        let mut text = String::from("acme:\n");
        for i in 0..MAX_LINES {
            text.push_str(&format!("  f{i}: 1\n"));
        }
        text.push_str("  key: v\n");
        assert!(names(&text, "key:").is_empty());
    }
}
