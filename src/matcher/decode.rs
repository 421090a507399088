//! Secrets inside encoded text: base64 (standard and URL-safe) runs, percent-encoded
//! values, and the base64 `data:` values of Kubernetes Secret manifests. Each candidate
//! is decoded and run through the same [`Matcher`]; what it finds is reported at the
//! encoded text's span in the original buffer, with the chain of encodings peeled.
//! Nested encodings are followed up to a depth (`--decode-depth`, default 1).
//!
//! Cost is kept to one table-driven pass over the buffer for base64 runs plus a `memchr`
//! for `%`: a run is decoded only when it is at least [`MIN_RUN`] characters of one
//! base64 alphabet with both letter cases, and its decoding is scanned only when it is
//! mostly printable text, so hex digests, identifiers, paths and images cost a table
//! lookup per byte and nothing more.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use memchr::memmem;

use super::{has_inline_allow, Matcher, RawMatch};
use crate::secret::Secret;

/// Shortest base64 run worth decoding (18 bytes of text: a bare token, or a short
/// `name=value`; shorter values cannot hold a provider's token).
pub const MIN_RUN: usize = 24;
/// Longest run decoded; longer ones are data (images, archives), not configuration.
const MAX_RUN: usize = 1 << 20;
/// How far a percent-encoded value may reach on each side of a `%`.
const MAX_PERCENT_REACH: usize = 4096;

/// An encoding keytrace looks inside; its name is part of the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// RFC 4648 base64, standard or URL-safe alphabet, padded or not.
    Base64,
    /// RFC 3986 percent-encoding (`%2F`).
    Percent,
}

impl Encoding {
    /// The name in output (`"decoded": ["base64"]`).
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Base64 => "base64",
            Encoding::Percent => "percent",
        }
    }
}

/// A secret found in decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedMatch {
    /// Index of the rule in the pack.
    pub rule: u32,
    /// Start of the encoded text in the original buffer.
    pub start: usize,
    /// End of the encoded text (exclusive).
    pub end: usize,
    /// The decoded secret.
    pub secret: Secret,
    /// Encodings peeled, outermost first.
    pub chain: Vec<Encoding>,
}

const STANDARD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Byte classes for the run scan: 1 letters and digits, 2 `+` `/`, 3 `-` `_`.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            1
        } else if c == b'+' || c == b'/' {
            2
        } else if c == b'-' || c == b'_' {
            3
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Finds secrets inside encoded text of `data`, up to `depth` levels of nesting, and
/// appends them to `out`. `inline_ignores` honours allow markers on the encoded text's
/// lines in `data`.
pub fn scan(
    matcher: &mut Matcher<'_>,
    data: &[u8],
    path: &str,
    depth: u32,
    inline_ignores: bool,
    out: &mut Vec<DecodedMatch>,
) {
    if depth == 0 {
        return;
    }
    let first = out.len();
    let mut scratch = Vec::new();
    if memmem::find(data, b"kind: Secret").is_some() {
        kubernetes_secret_data(matcher, data, path, depth, &mut scratch, out);
    }
    runs(
        matcher,
        data,
        &[(0, data.len())],
        path,
        depth,
        &mut scratch,
        out,
    );
    finish(data, first, inline_ignores, out);
}

/// Like [`scan`], over the byte ranges `ranges` of `data` only (whole lines, sorted) and
/// without the Kubernetes pass, whose `kind: Secret` test reads the whole buffer (callers
/// check that first). For history's delta-aware mode and added lines: an encoded run lies
/// within one line, so a run on a line copied from a blob's base is the base's.
pub fn scan_ranges(
    matcher: &mut Matcher<'_>,
    data: &[u8],
    ranges: &[(usize, usize)],
    path: &str,
    depth: u32,
    inline_ignores: bool,
    out: &mut Vec<DecodedMatch>,
) {
    if depth == 0 {
        return;
    }
    let first = out.len();
    runs(matcher, data, ranges, path, depth, &mut Vec::new(), out);
    finish(data, first, inline_ignores, out);
}

/// What every level of one decoding pass searches with: the thread's matcher and the
/// path its rules see.
struct At<'a, 'm> {
    matcher: &'a mut Matcher<'m>,
    path: &'a str,
}

/// The top-level encoded runs inside `ranges` of `data`, positioned in `data`.
fn runs(
    matcher: &mut Matcher<'_>,
    data: &[u8],
    ranges: &[(usize, usize)],
    path: &str,
    depth: u32,
    scratch: &mut Vec<RawMatch>,
    out: &mut Vec<DecodedMatch>,
) {
    let mut chain = Vec::new();
    for &(s, e) in ranges {
        let from = out.len();
        level(
            &mut At {
                matcher: &mut *matcher,
                path,
            },
            &data[s..e],
            None,
            depth,
            &mut chain,
            scratch,
            out,
        );
        for d in &mut out[from..] {
            d.start += s;
            d.end += s;
        }
    }
}

/// Drops what an allow marker on its line suppresses, then duplicates, from `out[first..]`.
fn finish(data: &[u8], first: usize, inline_ignores: bool, out: &mut Vec<DecodedMatch>) {
    if inline_ignores {
        let mut keep = first;
        for i in first..out.len() {
            if !has_inline_allow(data, out[i].start, out[i].end) {
                out.swap(keep, i);
                keep += 1;
            }
        }
        out.truncate(keep);
    }
    // One report per (span, secret): the Kubernetes pass and the run scan can both see a
    // `data:` value; nested levels can see the same bytes twice.
    out[first..].sort_by(|a, b| {
        (a.start, a.end, &a.secret, a.rule).cmp(&(b.start, b.end, &b.secret, b.rule))
    });
    let mut seen_end = first;
    for i in first..out.len() {
        let dup = seen_end > first && {
            let p = &out[seen_end - 1];
            p.start == out[i].start && p.end == out[i].end && p.secret == out[i].secret
        };
        if !dup {
            out.swap(seen_end, i);
            seen_end += 1;
        }
    }
    out.truncate(seen_end);
}

/// Settles what the plain scan (`plain`) and the decoded scan (`decoded`) both saw, so
/// nothing is reported twice. A decoded secret equal to a plain one it overlaps is
/// dropped, and so is one inside a provider rule's plain secret (a PEM key's base64, a
/// JWT, a Kubernetes `data:` value reported as such) unless the decoding is itself a
/// provider's token spanning exactly that plain secret (a GitHub token stored in a
/// Secret: the specific rule, with its rotation steps, wins). A plain `generic.*` match
/// overlapping a kept decoded one gives way to it.
pub fn dedupe(
    pack: &crate::rules::RulePack,
    data: &[u8],
    plain: &mut Vec<RawMatch>,
    decoded: &mut Vec<DecodedMatch>,
) {
    if decoded.is_empty() || plain.is_empty() {
        return;
    }
    let mut drop_plain = vec![false; plain.len()];
    decoded.retain(|d| {
        let overlapping = || {
            plain
                .iter()
                .enumerate()
                .filter(|(_, p)| p.secret_end > d.start && p.secret_start < d.end)
        };
        let specific = !pack.get(d.rule as usize).generic;
        let keep = overlapping().all(|(_, p)| {
            data[p.secret_start..p.secret_end] != *d.secret.expose()
                && (pack.get(p.rule as usize).generic
                    || (specific && (p.secret_start, p.secret_end) == (d.start, d.end)))
        });
        if keep {
            for (i, _) in overlapping() {
                drop_plain[i] = true;
            }
        }
        keep
    });
    let mut i = 0;
    plain.retain(|_| {
        i += 1;
        !drop_plain[i - 1]
    });
}

/// Scans the encoded runs of `text`. `span` is the original span every match in `text`
/// reports (None at the top level, where each run reports its own span).
fn level(
    at: &mut At<'_, '_>,
    text: &[u8],
    span: Option<(usize, usize)>,
    depth: u32,
    chain: &mut Vec<Encoding>,
    scratch: &mut Vec<RawMatch>,
    out: &mut Vec<DecodedMatch>,
) {
    // Base64 runs. A run of MIN_RUN or more starting in `i..=probe` covers `probe`, so the
    // scan reads one byte in MIN_RUN and, where it lands in the alphabet, walks back only
    // to the first byte outside it (or to what it already knows), never forward through
    // short runs: code and prose cost about one read in five bytes.
    let mut buf = Vec::new();
    let mut i = 0; // `text[i - 1]` is outside the alphabet (or `i == 0`)
    let mut known = 0; // `text[i..known]` is inside it
    while i + MIN_RUN <= text.len() {
        let probe = i + MIN_RUN - 1;
        if CLASS[text[probe] as usize] == 0 {
            i = probe + 1;
            known = i;
            continue;
        }
        let mut q = probe;
        while q > known && CLASS[text[q - 1] as usize] != 0 {
            q -= 1;
        }
        if q > known {
            // `text[q - 1]` is outside: any long run starts at `q` or later.
            i = q;
            known = probe + 1;
            continue;
        }
        let start = i;
        let mut stop = probe + 1;
        while stop < text.len() && CLASS[text[stop] as usize] != 0 {
            stop += 1;
        }
        let mut end = stop;
        while end < text.len() && end - stop < 2 && text[end] == b'=' {
            end += 1;
        }
        i = end.max(stop + 1);
        known = i;
        let run = &text[start..stop];
        let Some(engine) = plausible_base64(run) else {
            continue;
        };
        buf.clear();
        if engine.decode_vec(run, &mut buf).is_err() || !mostly_text(&buf) {
            continue;
        }
        let here = span.unwrap_or((start, end));
        chain.push(Encoding::Base64);
        found_in(at, &buf, here, depth, chain, scratch, out);
        chain.pop();
    }
    // Percent-encoded values.
    let mut next = 0;
    for pct in memchr::memchr_iter(b'%', text) {
        if pct < next || !(is_hex(text.get(pct + 1)) && is_hex(text.get(pct + 2))) {
            continue;
        }
        let lo = pct.saturating_sub(MAX_PERCENT_REACH).max(next);
        let start = text[lo..pct]
            .iter()
            .rposition(|&b| !url_byte(b))
            .map_or(lo, |p| lo + p + 1);
        let hi = (pct + MAX_PERCENT_REACH).min(text.len());
        let end = text[pct..hi]
            .iter()
            .position(|&b| !url_byte(b))
            .map_or(hi, |p| pct + p);
        next = end;
        let decoded = percent_decode(&text[start..end]);
        if !mostly_text(&decoded) {
            continue;
        }
        let here = span.unwrap_or((start, end));
        chain.push(Encoding::Percent);
        found_in(at, &decoded, here, depth, chain, scratch, out);
        chain.pop();
    }
}

/// The engine to decode `run` with, if it can be base64 of text: MIN_RUN to MAX_RUN long
/// with a possible length, one alphabet, both letter cases (hex digests and most
/// identifiers have one), and the first character of nearly every 4-character group in
/// `A-Za-f`, as it is when the group's first byte is ASCII (below 0x80); identifiers and
/// paths rarely are, so most candidates end here without decoding.
fn plausible_base64(run: &[u8]) -> Option<&'static GeneralPurpose> {
    let len = run.len();
    if !(MIN_RUN..=MAX_RUN).contains(&len) || len % 4 == 1 {
        return None;
    }
    let quads = len.div_ceil(4);
    let ascii_led = run
        .iter()
        .step_by(4)
        .filter(|&&b| b.is_ascii_uppercase() || (b'a'..=b'f').contains(&b))
        .count();
    if ascii_led * 10 < quads * 9 {
        return None;
    }
    let (mut upper, mut lower, mut std, mut url) = (false, false, false, false);
    for &b in run {
        match CLASS[b as usize] {
            1 => {
                upper |= b.is_ascii_uppercase();
                lower |= b.is_ascii_lowercase();
            }
            2 => std = true,
            _ => url = true,
        }
    }
    match (upper && lower, std, url) {
        (false, _, _) | (_, true, true) => None,
        (true, _, true) => Some(&URL_SAFE),
        (true, _, false) => Some(&STANDARD),
    }
}

/// Scans decoded text and, depth permitting, its own encoded runs.
fn found_in(
    at: &mut At<'_, '_>,
    decoded: &[u8],
    span: (usize, usize),
    depth: u32,
    chain: &mut Vec<Encoding>,
    scratch: &mut Vec<RawMatch>,
    out: &mut Vec<DecodedMatch>,
) {
    scratch.clear();
    at.matcher.scan(decoded, at.path, scratch);
    for m in scratch.iter() {
        out.push(DecodedMatch {
            rule: m.rule,
            start: span.0,
            end: span.1,
            secret: Secret::new(&decoded[m.secret_start..m.secret_end]),
            chain: chain.clone(),
        });
    }
    if depth > 1 {
        let mut inner = Vec::new();
        level(at, decoded, Some(span), depth - 1, chain, &mut inner, out);
    }
}

/// Kubernetes Secret manifests: each `data:` value is base64; it is decoded and scanned
/// as `name: value` so the generic detector sees the key name next to the value.
fn kubernetes_secret_data(
    matcher: &mut Matcher<'_>,
    data: &[u8],
    path: &str,
    depth: u32,
    scratch: &mut Vec<RawMatch>,
    out: &mut Vec<DecodedMatch>,
) {
    let mut in_data: Option<usize> = None;
    let mut pos = 0;
    let mut synthetic = Vec::new();
    while pos < data.len() {
        let line_end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
        let line = &data[pos..line_end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let body = &line[indent..];
        if let Some(parent) = in_data {
            if !body.is_empty() && indent <= parent {
                in_data = None;
            }
        }
        if body.trim_ascii_end() == b"data:" {
            in_data = Some(indent);
        } else if in_data.is_some() && !body.starts_with(b"#") {
            if let Some(colon) = memchr::memchr(b':', body) {
                let key = trim_quotes(&body[..colon]);
                let raw = &body[colon + 1..];
                let lead = raw.iter().take_while(|&&b| b == b' ').count();
                let value = trim_quotes(&raw[lead..]);
                // `value` is a sub-slice of `data`: its offset is the distance between them.
                let vstart = value.as_ptr() as usize - data.as_ptr() as usize;
                let span = (vstart, vstart + value.len());
                if !key.is_empty() && value.len() >= 4 {
                    if let Ok(decoded) = STANDARD.decode(value) {
                        if mostly_text(&decoded) {
                            synthetic.clear();
                            synthetic.extend_from_slice(key);
                            synthetic.extend_from_slice(b": ");
                            let offset = synthetic.len();
                            synthetic.extend_from_slice(&decoded);
                            synthetic.push(b'\n');
                            scratch.clear();
                            matcher.scan(&synthetic, path, scratch);
                            for m in scratch.iter().filter(|m| m.secret_start >= offset) {
                                out.push(DecodedMatch {
                                    rule: m.rule,
                                    start: span.0,
                                    end: span.1,
                                    secret: Secret::new(&synthetic[m.secret_start..m.secret_end]),
                                    chain: vec![Encoding::Base64],
                                });
                            }
                            if depth > 1 {
                                let mut chain = vec![Encoding::Base64];
                                let mut inner = Vec::new();
                                level(
                                    &mut At {
                                        matcher: &mut *matcher,
                                        path,
                                    },
                                    &decoded,
                                    Some(span),
                                    depth - 1,
                                    &mut chain,
                                    &mut inner,
                                    out,
                                );
                            }
                        }
                    }
                }
            }
        }
        pos = line_end + 1;
    }
}

fn trim_quotes(s: &[u8]) -> &[u8] {
    let s = s.trim_ascii();
    match s {
        [b'"', inner @ .., b'"'] | [b'\'', inner @ .., b'\''] => inner,
        _ => s,
    }
}

/// Whether decoded bytes read as text: at least 12 bytes of valid UTF-8 with next to no
/// control characters. Random bytes (images, digests, a `%DB_NAME%` template read as an
/// escape) almost never are valid UTF-8 that long.
fn mostly_text(decoded: &[u8]) -> bool {
    if decoded.len() < 12 {
        return false;
    }
    let Ok(text) = std::str::from_utf8(decoded) else {
        return false;
    };
    let controls = text
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .count();
    controls * 50 <= decoded.len()
}

fn is_hex(b: Option<&u8>) -> bool {
    b.is_some_and(u8::is_ascii_hexdigit)
}

/// Bytes that can be part of a URL or a form value (what a percent-encoded value spans).
fn url_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\')
}

/// Decodes `%XX` escapes; everything else (including `+` and a `%` without two hex
/// digits) is kept as is.
fn percent_decode(s: &[u8]) -> Vec<u8> {
    percent_encoding::percent_decode(s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{MatchOptions, Prefilter};
    use crate::rules::RulePack;
    use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD};

    fn pat() -> String {
        let body = "Hv3Kq8Lz2Wm5Nx7Rb0Tc4Yd6Pf9Sg1";
        let check = crate::matcher::checksum::github_checksum(body.as_bytes());
        format!("ghp_{body}{}", String::from_utf8_lossy(&check))
    }

    fn run(data: &[u8], depth: u32) -> Vec<DecodedMatch> {
        let pack = RulePack::builtin();
        let pf = Prefilter::new(&pack).unwrap();
        let mut m = Matcher::new(&pack, &pf, MatchOptions::default());
        let mut out = Vec::new();
        scan(&mut m, data, "f", depth, true, &mut out);
        out
    }

    #[test]
    fn base64_standard_and_url_safe() {
        let inner = format!("GITHUB_TOKEN={}\n", pat());
        for enc in [B64.encode(&inner), URL_SAFE_NO_PAD.encode(&inner)] {
            let data = format!("config:\n  blob: {enc}\n");
            let got = run(data.as_bytes(), 1);
            assert_eq!(got.len(), 1, "{data}");
            let start = data.find(&enc).unwrap();
            assert_eq!((got[0].start, got[0].end), (start, start + enc.len()));
            assert_eq!(got[0].secret.expose(), pat().as_bytes());
            assert_eq!(got[0].chain, vec![Encoding::Base64]);
        }
    }

    #[test]
    fn percent_encoded_value() {
        let enc = pat().replace('_', "%5F");
        let data = format!("url = https://api.test/cb?access_token={enc}&x=1\n");
        let got = run(data.as_bytes(), 1);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].chain, vec![Encoding::Percent]);
        assert_eq!(got[0].secret.expose(), pat().as_bytes());
    }

    #[test]
    fn nesting_needs_depth() {
        let once = B64.encode(format!("token: {}", pat()));
        let twice = B64.encode(format!("payload={once}"));
        let data = format!("x = \"{twice}\"\n");
        assert!(run(data.as_bytes(), 1).is_empty());
        let got = run(data.as_bytes(), 2);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].chain, vec![Encoding::Base64, Encoding::Base64]);
        assert!(run(data.as_bytes(), 0).is_empty());
    }

    #[test]
    fn random_bytes_and_identifiers_give_nothing() {
        let mut state = 7u64;
        let bytes: Vec<u8> = (0..3000)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                (state >> 56) as u8
            })
            .collect();
        let data = format!(
            "img: {}\nfn getAuthenticationManagerBuilderFactory() {{}}\n",
            B64.encode(&bytes)
        );
        assert!(run(data.as_bytes(), 3).is_empty());
    }

    #[test]
    fn inline_allow_on_the_encoded_line() {
        let enc = B64.encode(format!("GITHUB_TOKEN={}", pat()));
        let data = format!("blob: {enc} # keytrace:allow\n");
        assert!(run(data.as_bytes(), 1).is_empty());
    }

    #[test]
    fn kubernetes_secret_value_scanned_with_its_key() {
        let value = B64.encode("Zr8#kP2q!Vw7xLm4");
        let data = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: {value}\n"
        );
        let got = run(data.as_bytes(), 1);
        assert_eq!(got.len(), 1, "{got:?}");
        let start = data.find(&value).unwrap();
        assert_eq!((got[0].start, got[0].end), (start, start + value.len()));
        assert_eq!(got[0].secret.expose(), b"Zr8#kP2q!Vw7xLm4");
    }

    #[test]
    fn runs_are_found_at_every_alignment_after_short_runs() {
        let enc = B64.encode(format!("GITHUB_TOKEN={}", pat()));
        for pad in 0..(2 * MIN_RUN) {
            let prefix: String = (0..pad)
                .map(|k| if k % 7 == 6 { ' ' } else { 'x' })
                .collect();
            let data = format!("{prefix} {enc}\n");
            let got = run(data.as_bytes(), 1);
            assert_eq!(got.len(), 1, "pad {pad}");
            assert_eq!(got[0].start, pad + 1, "pad {pad}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode(b"a%2Fb%zz%4"), b"a/b%zz%4");
    }
}
