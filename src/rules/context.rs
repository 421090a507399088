//! Context rules: a provider's bare key (no prefix of its own, such as a 32-hex API key)
//! written as provider words plus a value class instead of a hand-written regex.
//!
//! The pattern built here accepts the value when one of the rule's keywords and an
//! assignment-like separator come before it on the same line, within a short distance, in
//! the syntaxes keys are written in: `ACME_API_KEY=v` (env, shell), `acme_key: v` (YAML),
//! `"acmeKey": "v"` (JSON), `acme.key = v` (TOML, INI, properties), `<AcmeKey>v<` and
//! `acme-key="v"` (XML), `acmeKey := "v"` and `'acme_key' => 'v'` (code, dict literals),
//! `--acme-key v` (CLI flags), `https://api.acme.io/v1?api_key=v` (URL queries).
//! Rules stay data: the rule file names the words and the class; this module owns the one
//! shape every such rule shares, so a fix to it fixes every provider at once.

/// How a value class is written in a rule file, e.g. `hex32`, `alnum32-40`, `uuid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// `[0-9a-f]` or `[0-9A-F]`, one case throughout; also letters and digits in one case
    /// when clearly not edited hex (a quarter of the letters past `f`).
    Hex,
    /// `[A-Za-z0-9]`.
    Alnum,
    /// `[A-Za-z0-9_-]`.
    Token,
    /// `[A-Za-z0-9+/]` with up to two `=` of padding, counted in the length.
    Base64,
    /// `8-4-4-4-12` hex digits, one case throughout.
    Uuid,
}

/// The pattern and the default minimum entropy of a context rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthesized {
    /// The confirming regex; group 1 is the value.
    pub pattern: String,
    /// The entropy floor used when the rule sets none: random hex carries at most 4 bits a
    /// byte, so its floor is lower than the wider alphabets'.
    pub min_entropy: f64,
}

/// Longest run of name-like text allowed between a keyword and the separator.
const MAX_GAP: usize = 40;

/// Builds the pattern of a context rule from its keywords and value class. Errors name the
/// field and say what is accepted.
pub fn synthesize(keywords: &[String], value: &str) -> Result<Synthesized, String> {
    if keywords.is_empty() {
        return Err(
            "field `keywords`: a context rule (`value = ...`) needs its provider words \
                    as keywords"
                .to_owned(),
        );
    }
    let (class, min, max) = parse_class(value)?;
    let words: Vec<String> = keywords.iter().map(|k| regex::escape(k)).collect();
    let value_re = match class {
        // Hex as documented, or one case of letters and digits: see `class_accepts`.
        Class::Hex => format!("[0-9a-z]{{{min},{max}}}|[0-9A-Z]{{{min},{max}}}"),
        Class::Alnum => format!("[A-Za-z0-9]{{{min},{max}}}"),
        Class::Token => format!("[A-Za-z0-9_-]{{{min},{max}}}"),
        // The length counts the `=` padding, as a key's documented length does.
        Class::Base64 => format!(
            "[A-Za-z0-9+/]{{{min},{max}}}|[A-Za-z0-9+/]{{{},{}}}=|[A-Za-z0-9+/]{{{},{}}}==",
            min - 1,
            max - 1,
            min - 2,
            max - 2
        ),
        Class::Uuid => "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\
                        [0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"
            .to_owned(),
    };
    // keyword, a short name-like gap (`_API_KEY`, `.com/v1/?api_key`, `"]["key`, and an
    // opened call or object: `Client(api_key`, `({ apiKey`), an
    // optional closing quote or bracket, the separator, an optional opening quote, the
    // value, and a character that cannot continue it (or the end of the window). One
    // space may pad the value inside its quotes (`token = ' v '`, `key := " v "`): a key
    // pasted with the space around it is still the key, and clients trim it.
    let pattern = format!(
        r#"(?i)(?:{words})[A-Za-z0-9_.\-/?&:'"\[\]({{ ]{{0,{MAX_GAP}}}?["'\]\)]?\s{{0,3}}(?:[:=,(|]{{1,3}}>?|>|\s)\s{{0,3}}(?:["'`] ?)?(?-i:({value_re}))(?:[^A-Za-z0-9_+/=\-]|$)"#,
        words = words.join("|"),
    );
    let min_entropy = match class {
        Class::Hex | Class::Uuid => 3.0,
        Class::Alnum | Class::Token | Class::Base64 => 3.5,
    };
    Ok(Synthesized {
        pattern,
        min_entropy,
    })
}

/// Whether `s` as a whole is a value of the class `value` names (`hex32`, `uuid`, ...):
/// the check the synthesized pattern makes of its value, for a value found by another
/// shape (the generic detector's, attributed to a provider named on a line above).
pub fn class_accepts(value: &str, s: &[u8]) -> bool {
    let Ok((class, min, max)) = parse_class(value) else {
        return false;
    };
    if s.len() < min || s.len() > max {
        return false;
    }
    let one_case_hex = |s: &[u8]| {
        s.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
            || s.iter().all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'F'))
    };
    match class {
        Class::Hex => one_case_hex(s) || one_case_alphanumeric(s),
        Class::Alnum => s.iter().all(u8::is_ascii_alphanumeric),
        Class::Token => s
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-'),
        Class::Base64 => {
            let body = s
                .strip_suffix(b"==")
                .or_else(|| s.strip_suffix(b"="))
                .unwrap_or(s);
            body.iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
        }
        Class::Uuid => {
            let groups: Vec<&[u8]> = s.split(|&c| c == b'-').collect();
            groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
                && one_case_hex(
                    &s.iter()
                        .copied()
                        .filter(|&c| c != b'-')
                        .collect::<Vec<u8>>(),
                )
        }
    }
}

/// Whether `s` is letters and digits in one case with a quarter or more of its characters
/// letters past `f`: the value of a provider whose keys its documentation shows in hex but
/// whose alphabet it does not state, issued wider (a name and the exact length still hold
/// it). A hex value with a character or two edited (`...9f3h7a...`, a look-alike) has
/// too few such letters; a random one of 32 has about 18.
fn one_case_alphanumeric(s: &[u8]) -> bool {
    let lower = s.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'z'));
    let upper = s.iter().all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'Z'));
    let past_f = s
        .iter()
        .filter(|c| matches!(c.to_ascii_lowercase(), b'g'..=b'z'))
        .count();
    (lower || upper) && past_f * 4 >= s.len()
}

/// Parses `hex32`, `hex32-40`, `uuid`, ... into the class and its length range. The length
/// may also be set off by `-` or `:` (`base64-44`, `base64-40-44`), which base64 needs.
fn parse_class(value: &str) -> Result<(Class, usize, usize), String> {
    let bad = || {
        format!(
            "field `value`: `{value}` is not a value class; write hex<N>, alnum<N>, token<N> or \
             base64-<N> (N a length, or MIN-MAX), or uuid"
        )
    };
    if value == "uuid" {
        return Ok((Class::Uuid, 36, 36));
    }
    let (class, lengths) = [
        ("hex", Class::Hex),
        ("alnum", Class::Alnum),
        ("token", Class::Token),
        ("base64", Class::Base64),
    ]
    .into_iter()
    .find_map(|(name, class)| value.strip_prefix(name).map(|rest| (class, rest)))
    .ok_or_else(bad)?;
    let lengths = lengths.strip_prefix(['-', ':']).unwrap_or(lengths);
    let (min, max) = match lengths.split_once('-') {
        Some((a, b)) => (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?),
        None => {
            let n: usize = lengths.parse().map_err(|_| bad())?;
            (n, n)
        }
    };
    // Below 16 characters a bare value is too common to tie to a provider word; above 512
    // it is not a key.
    if min < 16 || max < min || max > 512 {
        return Err(format!(
            "field `value`: length range {min}-{max} of `{value}` must lie within 16-512"
        ));
    }
    Ok((class, min, max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::compile_regex;

    fn secret(value: &str, keywords: &[&str], line: &str) -> Option<String> {
        let kws: Vec<String> = keywords.iter().map(|k| (*k).to_owned()).collect();
        let s = synthesize(&kws, value).expect("valid class");
        let re = compile_regex(&s.pattern).expect("pattern compiles");
        re.captures(line.as_bytes())
            .and_then(|c| c.get(1))
            .map(|m| String::from_utf8_lossy(m.as_bytes()).into_owned())
    }

    const HEX: &str = "3f1c0e9a7b2d4c6e8f0a1b2c3d4e5f60";

    #[test]
    fn every_common_syntax_matches() {
        let lines = [
            format!("ACME_API_KEY={HEX}"),
            format!("export ACME_KEY=\"{HEX}\""),
            format!("acme_api_key: {HEX}"),
            format!("{{\"acmeApiKey\": \"{HEX}\"}}"),
            format!("acme.api.key = {HEX}"),
            format!("<AcmeApiKey>{HEX}</AcmeApiKey>"),
            format!("<add key=\"acme-key\" value=\"{HEX}\"/>"),
            format!("acmeKey := \"{HEX}\""),
            format!("'acme_key' => '{HEX}',"),
            format!("config['acme']['key'] = '{HEX}'"),
            format!("cli --acme-api-key {HEX}"),
            format!("curl https://api.acme.io/v1/lookup?api_key={HEX}&q=1"),
            format!("acme api key = {HEX}"),
            format!("new AcmeClient(\"{HEX}\")"),
            format!("client = AcmeClient(api_key=\"{HEX}\")"),
            format!("const acme = new Acme({{ apiKey: '{HEX}' }});"),
            format!("acme token = ' {HEX} '"),
            format!("acmeSecret := \" {HEX} \""),
        ];
        for line in &lines {
            assert_eq!(
                secret("hex32", &["acme"], line).as_deref(),
                Some(HEX),
                "{line}"
            );
        }
    }

    #[test]
    fn wrong_length_case_mix_or_far_word_does_not_match() {
        assert_eq!(
            secret("hex32", &["acme"], &format!("ACME_KEY={HEX}ab")),
            None
        );
        assert_eq!(
            secret(
                "hex32",
                &["acme"],
                "ACME_KEY=3F1C0E9A7B2D4C6E8f0a1b2c3d4e5f60"
            ),
            None
        );
        let far = format!("acme {} = {HEX}", "x".repeat(60));
        assert_eq!(secret("hex32", &["acme"], &far), None);
        assert_eq!(
            secret("hex32", &["acme"], &format!("OTHER_KEY={HEX}")),
            None
        );
    }

    // Split so that scanning this repository does not report them.
    const B64: &str = concat!("q83vEjRWeJq8NzQ1Nj+/", "ZXhhbXBsZTEyMzQ1Njc4OQ==");
    const ALNUM: &str = concat!("aB3dE5fG7hJ9kL1mN3pQ", "5rS7tU9vW1xY2z");
    const TOKEN: &str = concat!("Ab_3-dE5fG7hJ9kL1mN3p", "Q5rS7tU9vW1xY2z4c6e");

    #[test]
    fn classes_and_ranges() {
        assert_eq!(
            secret("alnum32-40", &["acme"], &format!("acme_token: {ALNUM}")).as_deref(),
            Some(ALNUM)
        );
        assert_eq!(
            secret(
                "uuid",
                &["acme"],
                "ACME_KEY=6f1e2d3c-4b5a-4968-8776-655443322110"
            )
            .as_deref(),
            Some("6f1e2d3c-4b5a-4968-8776-655443322110")
        );
        assert_eq!(
            secret("base64-44", &["acme"], &format!("acme_secret=\"{B64}\"")).as_deref(),
            Some(B64)
        );
        assert_eq!(
            secret(
                "token40",
                &["acme.io"],
                &format!("host=api.acme.io token={TOKEN}")
            )
            .as_deref(),
            Some(TOKEN)
        );
    }

    #[test]
    fn class_accepts_whole_values_only() {
        assert!(class_accepts("hex32", HEX.as_bytes()));
        assert!(!class_accepts("hex32", format!("{HEX}0").as_bytes()));
        assert!(!class_accepts("hex32", b"3F1C0E9A7B2D4C6E8f0a1b2c3d4e5f60"));
        // One case of letters and digits, a quarter past `f`: issued wider than the
        // documentation's hex; one or two edited characters are not.
        assert!(class_accepts("hex32", b"q7m2x9kd4tz8wr1ny6vb3hs5jc0pe2lu"));
        assert!(class_accepts("hex32", b"Q7M2X9KD4TZ8WR1NY6VB3HS5JC0PE2LU"));
        assert!(!class_accepts("hex32", b"c09761h99f39f79ae28eaaf8df20d7c9"));
        assert!(!class_accepts("hex32", b"q7m2x9kd4tZ8wr1ny6vb3hs5jc0pe2lu"));
        assert!(class_accepts("alnum32-40", ALNUM.as_bytes()));
        assert!(!class_accepts("alnum32-40", TOKEN.as_bytes()));
        assert!(class_accepts("token40", TOKEN.as_bytes()));
        assert!(class_accepts("base64-44", B64.as_bytes()));
        assert!(class_accepts(
            "uuid",
            b"6f1e2d3c-4b5a-4968-8776-655443322110"
        ));
        assert!(!class_accepts(
            "uuid",
            b"6f1e2d3c-4b5a-4968-8776-65544332211"
        ));
    }

    #[test]
    fn bad_classes_name_the_field() {
        assert!(synthesize(&["acme".to_owned()], "base64-40-44").is_ok());
        assert!(synthesize(&["acme".to_owned()], "hex:32").is_ok());
        for bad in [
            "hex",
            "hex8",
            "blob32",
            "hex40-32",
            "alnum32-x",
            "hex9999",
            "base64",
        ] {
            let err = synthesize(&["acme".to_owned()], bad).unwrap_err();
            assert!(err.contains("field `value`"), "{bad}: {err}");
        }
        let err = synthesize(&[], "hex32").unwrap_err();
        assert!(err.contains("field `keywords`"), "{err}");
    }
}
