//! Code where a key is expected: a context rule (provider word, separator, value) also
//! matches ordinary source code, because a provider's name can sit inside another word
//! (`desec` in `CodeSecurityConfig`) or open an identifier (`UpDownCounter`), and the
//! "value" after it can be the next identifier (`Int64UpDownCounterConfig`,
//! `checkIfEnvironmentVariableExists`). Found on the product code of real repositories
//! (PyGithub, OpenTelemetry's Go metric API vendored in gh-ost, juice-shop), where no
//! credential was written.
//!
//! - [`camel_identifier`]: a value spelled as camelCase or PascalCase words. Random key
//!   material almost never splits into three or more humps that are each a pronounceable
//!   word, a short acronym or a short number.
//! - [`property_key`]: a dotted property name with its `=` (`app.site.hostname=`) as the
//!   value of a `token:` argument in code that writes properties files.
//! - [`password_word_inside_word`]: a short password word of another language read
//!   across other words of a name (`senha` in `statusEnhancements`).
//! - [`identity_name`]: a secret's name that ends in who signs in (`credentials.username`).
//! - [`word_inside_word`]: a keyword that is part of a longer camelCase word
//!   (`deSec` in `CodeSecurity`, `DevTo` in `DevToolsProperties`) rather than whole humps.

/// Whether a context rule's match starting at `data[start]` with the value `value` is not a
/// key: the value counts or repeats (`0123456789abcdef0123...`, a placeholder), the
/// provider word (the longest of `keywords` there) is the middle of a longer word, or the
/// value is an identifier.
pub fn context_rejects(
    data: &[u8],
    start: usize,
    rule: &crate::rules::RuleSpec,
    value: &[u8],
) -> bool {
    let keywords = &rule.keywords;
    // The pattern's class is wider than the class (`hex32` matches one case of letters
    // and digits); the class decides.
    if rule
        .value
        .as_deref()
        .is_some_and(|class| !crate::rules::context::class_accepts(class, value))
    {
        return true;
    }
    let keyword_len = keywords
        .iter()
        .map(String::as_bytes)
        .filter(|k| {
            data.get(start..start + k.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(k))
        })
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    super::is_sequential(value)
        || super::is_periodic(value)
        || word_inside_word(data, start, keyword_len)
        || camel_identifier(value)
}

/// Whether `s` reads as a camelCase or PascalCase identifier: three or more humps, each a
/// word of two or more letters with a vowel (`check`, `If`, `Environment`; one hump of up
/// to four may lack a vowel: `Http`, `Xml`), an acronym of
/// at most five capitals (`RSA`, `ID`), or a number of at most three digits (`Int64`,
/// `SHA256`), averaging four or more characters a hump. Only the first hump may start in
/// lower case. Random tokens fail it: their humps are single letters and consonant runs
/// (`WCFcfUCsl2P3vCJ...` has `Fcf`, `P`, `3v`).
pub fn camel_identifier(s: &[u8]) -> bool {
    if s.len() < 12 || !s.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let humps = humps(s);
    if humps.len() < 3 || s.len() < humps.len() * 4 {
        return false;
    }
    let mut voiceless = 0;
    humps.iter().enumerate().all(|(i, h)| {
        let first = h[0];
        if first.is_ascii_digit() {
            return h.len() <= 3 && i > 0;
        }
        if h.iter().all(u8::is_ascii_uppercase) {
            return h.len() <= 5;
        }
        let word = (i == 0 || first.is_ascii_uppercase())
            && h.len() >= 2
            && h[1..].iter().all(u8::is_ascii_lowercase);
        let vowel = h.iter().any(|b| {
            matches!(
                b.to_ascii_lowercase(),
                b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
            )
        });
        // One abbreviation without a vowel (`Http`, `Xml`, `Sql`) is allowed.
        if word && !vowel && h.len() <= 4 {
            voiceless += 1;
            return voiceless <= 1;
        }
        word && vowel
    })
}

/// Whether `s` is a property's key with its `=` (`app.site.hostname=`, a line of a
/// properties file being templated): two or more dotted parts of letters and `_` only,
/// then `=`. A token with a dot and base64 padding (`tkn.v1_Lg...H=`) has digits.
pub fn property_key(s: &[u8]) -> bool {
    let Some(key) = s.strip_suffix(b"=") else {
        return false;
    };
    key.contains(&b'.')
        && key
            .split(|&b| b == b'.')
            .all(|p| !p.is_empty() && p.iter().all(|b| b.is_ascii_alphabetic() || *b == b'_'))
}

/// Password words of other languages short enough to turn up inside English names:
/// `senha` (Portuguese) in `statusEnhancements`, `haslo` (Polish) in `hasLogin`.
const SHORT_FOREIGN_PASSWORD_WORDS: &[&[u8]] = &[b"senha", b"haslo", b"parola"];

/// Whether the password word of the assigned-to `name` is only one of
/// [`SHORT_FOREIGN_PASSWORD_WORDS`] read across the parts of other words: no part of the
/// name (split at `_`, `-`, `.` and camelCase humps) starts with it, and no longer
/// password word is there (`senha_admin`, `dbHaslo` and `parolaDb` stay password names).
pub fn password_word_inside_word(name: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    let holds = |w: &[u8]| memchr::memmem::find(&lower, w).is_some();
    if [
        &b"pass"[..],
        b"pwd",
        b"kennwort",
        b"contrasena",
        b"wachtwoord",
        b"salasana",
    ]
    .iter()
    .any(|w| holds(w))
    {
        return false;
    }
    let parts = super::name_parts(name);
    SHORT_FOREIGN_PASSWORD_WORDS.iter().any(|w| holds(w))
        && !parts.iter().any(|p| {
            SHORT_FOREIGN_PASSWORD_WORDS
                .iter()
                .any(|w| p.starts_with(w))
        })
}

/// Whether the assigned-to `name` ends in a word for who signs in rather than the
/// secret (`credentials.username`, `secret_user`, `auth.login`, `token_email`): the name
/// matched a secret word earlier, but its last part says the value is an identity.
pub fn identity_name(name: &[u8]) -> bool {
    super::name_parts(name).last().is_some_and(|p| {
        [
            &b"username"[..],
            b"user",
            b"login",
            b"email",
            b"userid",
            b"uid",
        ]
        .contains(&p.as_slice())
    })
}

/// `s` split at camelCase humps and letter/digit changes: `Int64UpDown` is `Int`, `64`,
/// `Up`, `Down`; `RSAUsing` is `RSA`, `Using` (the last capital of a run opens the next
/// word when lower case follows).
fn humps(s: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..s.len() {
        let (prev, cur) = (s[i - 1], s[i]);
        let next_lower = s.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        let boundary = prev.is_ascii_digit() != cur.is_ascii_digit()
            || (prev.is_ascii_lowercase() && cur.is_ascii_uppercase())
            || (prev.is_ascii_uppercase() && cur.is_ascii_uppercase() && next_lower);
        if boundary {
            out.push(&s[start..i]);
            start = i;
        }
    }
    out.push(&s[start..]);
    out
}

/// Whether the keyword at `data[start..start + len]` is part of a longer camelCase word:
/// a hump opens inside it and it starts or ends inside a hump (`deSec` in `CodeSecurity`,
/// `DevTo` in `DevToolsProperties`). A keyword inside an all-lower-case name
/// (`getsmartsheet(...)`) or made of whole humps (`myAcmeKey`, `Int64UpDownCounter`) stays.
pub fn word_inside_word(data: &[u8], start: usize, len: usize) -> bool {
    let Some(word) = data.get(start..start + len).filter(|w| !w.is_empty()) else {
        return false;
    };
    let inner_hump = word
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    if !inner_hump {
        return false;
    }
    let cut_before = start
        .checked_sub(1)
        .and_then(|i| data.get(i))
        .is_some_and(|&prev| {
            prev.is_ascii_alphabetic()
                && !(prev.is_ascii_lowercase() && word[0].is_ascii_uppercase())
        });
    let cut_after = data
        .get(start + len)
        .is_some_and(|&next| next.is_ascii_lowercase() && word[len - 1].is_ascii_alphabetic());
    cut_before || cut_after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_camel_words() {
        for s in [
            "checkIfEnvironmentVariableExists",
            "Int64UpDownCounterConfig",
            "CodeSecurityConfigRepository",
            "SigningAlgRSAUsingSHA256",
            "IDTokenSignedResponseAlg",
            "float64UpDownCounter",
            "ClientHttpRequestFactory",
        ] {
            assert!(camel_identifier(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn random_tokens_are_not_camel_words() {
        for s in [
            "WCFcfUCsl2P3vCJuFgDuLeUXduycoZli",
            "smcud4y6elxx7u6q58ewwv8rq01hpi3f",
            "7NUP5qUtSR3SxdFK4xAGaU6PMNvNdE59",
            "Zq8v2LrT0pXw5mNk3sHd7YfBc1GjUe4A",
            "b77a5c561934e089b77a5c561934e089",
            "AKIAIOSFODNN7EXAMPLE",
            "GXGeLJe2cHMuittCAeAvtZ3UeLRLIsT5",
            // Two humps only, and a value with punctuation, are left to other checks.
            "CounterConfig",
            "Some-Setting-Value-Here",
        ] {
            assert!(!camel_identifier(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn property_keys_are_dotted_words() {
        assert!(property_key(b"app.site.cas.hostnameLocal="));
        assert!(!property_key(b"app.site.hostname"));
        assert!(!property_key(b"tkn.v1_Zq8rT2mK9vX4pL7wQ3nB5cHd7YfBc1G="));
        assert!(!property_key(b"Zq8rT2mK9vX4pL7wQ3nB5c=="));
    }

    #[test]
    fn foreign_password_words_inside_other_words() {
        for n in [
            "deploymentStatusEnhancementsPreview",
            "hasLogin",
            "HasLoginPage",
        ] {
            assert!(password_word_inside_word(n.as_bytes()), "{n}");
        }
        for n in [
            "senha",
            "senha_admin",
            "dbHaslo",
            "parolaDb",
            "user_password",
            "hasPassword",
        ] {
            assert!(!password_word_inside_word(n.as_bytes()), "{n}");
        }
    }

    #[test]
    fn names_ending_in_an_identity() {
        for n in [
            "vcap.services.mysql.credentials.username",
            "secret_user",
            "tokenEmail",
        ] {
            assert!(identity_name(n.as_bytes()), "{n}");
        }
        for n in [
            "user_secret",
            "credentials.password",
            "api_token",
            "client_secret",
        ] {
            assert!(!identity_name(n.as_bytes()), "{n}");
        }
    }

    #[test]
    fn humps_split_acronyms_and_numbers() {
        let h: Vec<&[u8]> = humps(b"SigningAlgRSAUsingSHA256");
        assert_eq!(
            h,
            [&b"Signing"[..], b"Alg", b"RSA", b"Using", b"SHA", b"256"]
        );
    }

    #[test]
    fn a_keyword_split_across_a_hump_is_inside_a_word() {
        let inside = |s: &str, w: &str| {
            let at = s
                .to_ascii_lowercase()
                .find(&w.to_ascii_lowercase())
                .unwrap();
            word_inside_word(s.as_bytes(), at, w.len())
        };
        for (s, w) in [
            ("MY_ACME_KEY=x", "acme"),
            ("acmeKey = x", "acme"),
            ("myAcmeKey = x", "acme"),
            ("X-Acme-Key: x", "acme"),
            ("Int64UpDown", "updown"),
            ("UpDownSum", "updown"),
            ("sheets := getsmartsheet(x)", "smartsheet"),
            ("myacmekey = x", "acme"),
        ] {
            assert!(!inside(s, w), "{s}");
        }
        assert!(inside(
            "from github.CodeSecurityConfigRepository import x",
            "desec"
        ));
        let desec: crate::rules::RuleSpec = toml::from_str(
            "id = 'desec.api-token'\nname = 'n'\nprovider = 'desec'\ncredential = 'api-token'\n\
             severity = 'medium'\nkeywords = ['desec']\nvalue = 'token16'",
        )
        .unwrap();
        let data = b"CodeSecurityConfigRepository";
        assert!(context_rejects(data, 2, &desec, b"k7Qp2Lx9Vm4Tz8Rb"));
        assert!(!context_rejects(
            b"desec: x",
            0,
            &desec,
            b"k7Qp2Lx9Vm4Tz8Rb"
        ));
        // The class decides over the wider pattern.
        assert!(context_rejects(
            b"desec: x",
            0,
            &desec,
            b"k7Qp2Lx9Vm4Tz8Rb0"
        ));
    }
}
