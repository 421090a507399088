//! Unit tests of the gitleaks config import (kept apart to hold `gitleaks.rs` under
//! 1,000 lines).

use super::*;
use crate::engine::filter::Seen;

#[test]
fn detects_gitleaks_format() {
    assert!(is_gitleaks_text("[[rules]]\nid = \"a\"\nregex = 'x'\n"));
    assert!(is_gitleaks_text("[extend]\nuseDefault = true\n"));
    assert!(is_gitleaks_text("[allowlist]\npaths = ['x']\n"));
    assert!(is_gitleaks_text("[[allowlists]]\npaths = ['x']\n"));
    assert!(!is_gitleaks_text("[rules]\ndisable = [\"generic.\"]\n"));
    assert!(!is_gitleaks_text(
        "[allow]\npaths = []\n[[rule]]\nid = \"a\"\n"
    ));
    assert!(!is_gitleaks_text("not toml ["));
}

#[test]
fn secret_group_is_renamed() {
    let p = secret_pattern(r"(key)=([a-z]{8})", Some(2)).unwrap();
    assert_eq!(p, r"(key)=(?P<secret>[a-z]{8})");
    let p = secret_pattern(r"abc[0-9]{4}", None).unwrap();
    assert_eq!(p, r"(?P<secret>abc[0-9]{4})");
    assert_eq!(secret_pattern(r"a(b)", None).unwrap(), r"a(b)");
    let err = secret_pattern(r"a(b)", Some(3)).unwrap_err();
    assert!(err.contains("1 capture group"), "{err}");
    let p = secret_pattern(r"(?P<secret>a)(b)", Some(2)).unwrap();
    assert_eq!(p, r"(?P<gitleaks_group_1>a)(?P<secret>b)");
}

#[test]
fn keywords_from_literals() {
    assert_eq!(
        derive_keywords(r"\b(acme_[a-z0-9]{32})\b").unwrap(),
        vec!["acme_"]
    );
    // Case-insensitive literals multiply; the extractor shortens them to stay small.
    let kws = derive_keywords(r"(?i)(?:tok|key)_live_[a-z]{8}").unwrap();
    assert!(kws.len() == 2 && kws[0].starts_with("key_") && kws[1].starts_with("tok_"));
    assert_eq!(
        derive_keywords(r"[a-z]{8}_suffix").unwrap(),
        vec!["_suffix"]
    );
    assert!(derive_keywords(r"[a-f0-9]{40}").is_none());
}

#[test]
fn re2_only_regex_is_a_rule_problem() {
    let text = "[[rules]]\nid = \"good\"\nregex = 'good_[a-z]{8}'\nkeywords = [\"good_\"]\n\n[[rules]]\nid = \"bad\"\nregex = 'bad_\\C{8}'\nkeywords = [\"bad_\"]\n";
    let mut imp = parse("gl.toml", text).unwrap();
    assert_eq!(imp.problems.len(), 1, "{:?}", imp.problems);
    let p = &imp.problems[0];
    assert!(
        p.contains("gl.toml") && p.contains("line 6") && p.contains("`bad`") && p.contains("regex"),
        "{p}"
    );
    let pack = imp.take_pack();
    assert_eq!(pack.rules().len(), 1);
    assert_eq!(pack.rules()[0].spec.id, "good");
}

#[test]
fn allowlist_or_and() {
    let (or, _) = compile_allowlist(
        &GlAllowlist {
            paths: vec!["^test/".into()],
            stopwords: vec!["EXAMPLE".into()],
            ..Default::default()
        },
        "x",
    )
    .unwrap();
    let seen = |path, secret| Seen {
        path,
        secret,
        matched: secret,
        line: secret,
        commit: None,
    };
    assert!(or.allows(&seen("test/a", b"zzz"), false));
    assert!(or.allows(&seen("src/a", b"myexamplekey"), false));
    assert!(!or.allows(&seen("src/a", b"zzz"), false));
    let (and, _) = compile_allowlist(
        &GlAllowlist {
            condition: Some("AND".into()),
            paths: vec!["^test/".into()],
            stopwords: vec!["example".into()],
            ..Default::default()
        },
        "x",
    )
    .unwrap();
    assert!(!and.allows(&seen("test/a", b"zzz"), false));
    assert!(and.allows(&seen("test/a", b"an-EXAMPLE"), false));
}

#[test]
fn malformed_file_names_line() {
    let err = parse("gl.toml", "[[rules]]\nid = \"a\"\nsecretGroup = \"two\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("gl.toml") && err.contains("line 3"), "{err}");
}

#[test]
fn go_braces_that_repeat_nothing_are_literals() {
    // Hand-written: RE2 takes these braces literally, Rust's regex rejects or
    // repeats them.
    assert_eq!(translate_go_regex(r"a{2}b{1,}c{1,3}?"), r"a{2}b{1,}c{1,3}?");
    assert_eq!(translate_go_regex(r"{token}"), r"\{token\}");
    assert_eq!(translate_go_regex(r"x{,3}"), r"x\{,3\}");
    assert_eq!(translate_go_regex(r"(?:{|\[)key"), r"(?:\{|\[)key");
    assert_eq!(translate_go_regex(r"^{"), r"^\{");
    assert_eq!(translate_go_regex(r"(?i){3}"), r"(?i)\{3\}");
    assert_eq!(translate_go_regex(r"(?P<k>a){3}"), r"(?P<k>a){3}");
    assert_eq!(translate_go_regex(r"\p{Greek}{2}"), r"\p{Greek}{2}");
    for re in [r"{token}", r"x{,3}", r"(?:{|\[)key", r"a{b}", r"{1}"] {
        let t = translate_go_regex(re);
        compile_regex(&t).unwrap_or_else(|e| panic!("{re} -> {t}: {e}"));
    }
    let re = compile_regex(&translate_go_regex(r"user{name}=(\w+)")).unwrap();
    assert!(re.is_match(b"user{name}=bob"));
    assert!(!re.is_match(b"useeename=bob"));
}

#[test]
fn go_quoting_and_class_literals() {
    let re = compile_regex(&translate_go_regex(r"\Qa.b*\E+c")).unwrap();
    assert!(re.is_match(b"a.b*a.b*c"));
    assert!(!re.is_match(b"axbbc"));
    let re = compile_regex(&translate_go_regex(r"[a[&&]+")).unwrap();
    assert!(re.is_match(b"[&&a"));
    let re = compile_regex(&translate_go_regex(r"[[:alpha:]-]+")).unwrap();
    assert!(re.is_match(b"ab-c"));
    let re = compile_regex(&translate_go_regex(r"[]a]")).unwrap();
    assert!(re.is_match(b"]"));
}
