//! `keytrace rules check`: lints rules. Every rule must have a well-formed unique id, a
//! regex that compiles in ASCII mode with a secret group, a 3+ byte keyword present in
//! every example, two examples that match (and pass the rule's `validate` check) and a
//! negative example that does not.

use std::collections::HashMap;

use crate::matcher::{MatchOptions, Matcher, Prefilter};
use crate::rules::{self, Rule, RulePack};

/// One problem with one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The rule's file.
    pub file: String,
    /// The rule id.
    pub rule: String,
    /// The field at fault.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: rule `{}`: field `{}`: {}",
            self.file, self.rule, self.field, self.message
        )
    }
}

fn valid_id(id: &str) -> bool {
    let mut parts = id.split('.');
    let first = parts.next().unwrap_or("");
    let first_ok = !first.is_empty()
        && first
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let rest: Vec<&str> = parts.collect();
    first_ok
        && !rest.is_empty()
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Lints the built-in rotation guides (`patterns/rotation/*.toml`) against `pack`, the
/// built-in rules: every guide names providers that have rules, every `rules` selector
/// selects a rule, every link is https. Every rule resolves to a guide by construction:
/// its own, its provider's, or the generic one.
pub fn check_guides(pack: &RulePack) -> Vec<Problem> {
    let mut problems = Vec::new();
    for g in rules::rotation::guides() {
        let mut problem = |field: &'static str, message: String| {
            problems.push(Problem {
                file: g.file.clone(),
                rule: g.providers.join(","),
                field,
                message,
            })
        };
        for p in &g.providers {
            if !pack.rules().iter().any(|r| r.spec.provider == *p) {
                problem("providers", format!("no rule has provider `{p}`"));
            }
        }
        for sel in &g.rules {
            if !pack
                .rules()
                .iter()
                .any(|r| rules::id_selects(sel, &r.spec.id))
            {
                problem("rules", format!("`{sel}` selects no rule"));
            }
        }
        if g.docs.is_empty() {
            problem("docs", "needs the provider's documentation link".into());
        }
        for d in &g.docs {
            if !rules::rotation::is_https_uri(d) {
                problem("docs", format!("`{d}` is not an https link"));
            }
        }
        for (field, value) in [
            ("what", &g.what),
            ("generate", &g.generate),
            ("revoke", &g.revoke),
        ] {
            if value.trim().is_empty() {
                problem(field, "must not be empty".into());
            }
        }
    }
    problems
}

/// Lints every rule in `pack`; an empty result means the pack is clean.
pub fn check_pack(pack: &RulePack) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for rule in pack.rules() {
        let spec = &rule.spec;
        let mut problem = |field: &'static str, message: String| {
            problems.push(Problem {
                file: rule.origin.file.clone(),
                rule: spec.id.clone(),
                field,
                message,
            })
        };
        if let Some(prev) = seen.insert(&spec.id, &rule.origin.file) {
            problem("id", format!("duplicate id (also in {prev})"));
        }
        if !valid_id(&spec.id) {
            problem("id", "must look like `provider.kind[.sub]`: lowercase letters, digits, `-`, dot-separated".into());
        }
        for (field, value) in [("name", &spec.name), ("provider", &spec.provider)] {
            if value.trim().is_empty() {
                problem(field, "must not be empty".into());
            }
        }
        if let Some(e) = spec.min_entropy {
            if !(0.0..=8.0).contains(&e) {
                problem("min_entropy", format!("{e} is outside 0..=8 bits per byte"));
            }
        }
        for r in &spec.references {
            if !r.starts_with("https://") {
                problem("references", format!("`{r}` is not an https URL"));
            }
        }
        if let Err(e) = rule.compiled() {
            let field = if e.starts_with("field `context`") {
                "context"
            } else {
                "pattern"
            };
            problem(field, e.to_owned());
            continue;
        }
        if bare_caret(&spec.pattern) {
            problem(
                "pattern",
                "`^` outside `(?m)` matches only at the start of the file, but a rule's \
                 window starts mid-file at a line start: write `(?m:^)`"
                    .into(),
            );
        }
        let long: Vec<String> = spec
            .keywords
            .iter()
            .filter(|k| k.len() >= 3)
            .map(|k| k.to_ascii_lowercase())
            .collect();
        if long.is_empty() {
            problem("keywords", "needs a keyword of 3 or more bytes".into());
        }
        if spec.max_lines.is_some() && !spec.multiline {
            problem(
                "max_lines",
                "only applies to a rule with `multiline = true`".into(),
            );
        }
        if spec.examples.len() < 2 {
            problem(
                "examples",
                format!("needs at least 2 examples, has {}", spec.examples.len()),
            );
        }
        if spec.negative_examples.is_empty() {
            problem(
                "negative_examples",
                "needs at least 1 negative example".into(),
            );
        }
        for (i, ex) in spec.examples.iter().enumerate() {
            let lower = ex.to_ascii_lowercase();
            if !long.is_empty() && !long.iter().any(|k| lower.contains(k.as_str())) {
                problem(
                    "keywords",
                    format!("example {} contains none of the keywords", i + 1),
                );
            }
            if count_matches(rule, ex) == 0 {
                problem("examples", unmatched_example(rule, i));
            }
        }
        for (i, ex) in spec.negative_examples.iter().enumerate() {
            if count_matches(rule, ex) > 0 {
                problem(
                    "negative_examples",
                    format!("negative example {} matches", i + 1),
                );
            }
        }
    }
    problems
}

/// Whether `pattern` has a `^` anchor (outside a character class) that multi-line mode
/// does not govern. The confirm step searches a window that starts at a line start in the
/// middle of the blob, and there a bare `^` never matches, so such a rule silently misses
/// every token that begins a line other than the first. The check reads the pattern
/// lexically: a `^` counts as governed when a leading flag group or the group right around
/// it (`(?m:^)`) turns on `m`.
fn bare_caret(pattern: &str) -> bool {
    let leading_m = pattern
        .strip_prefix("(?")
        .and_then(|rest| rest.split_once(')'))
        .is_some_and(|(flags, _)| {
            !flags.contains(':') && flags.split('-').next().is_some_and(|on| on.contains('m'))
        });
    if leading_m {
        return false;
    }
    let b = pattern.as_bytes();
    let mut in_class = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' if !in_class => {
                in_class = true;
                // `[]...]` and `[^]...]`: a leading `]` is a literal.
                if b.get(i + 1) == Some(&b'^') {
                    i += 1;
                }
                if b.get(i + 1) == Some(&b']') {
                    i += 1;
                }
            }
            b']' if in_class => in_class = false,
            b'^' if !in_class
                && !pattern[..i].ends_with("(?m:")
                && !pattern[..i].ends_with("(?im:") =>
            {
                return true;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Why example `i` of `rule` does not match: its pattern, or its `validate` check.
fn unmatched_example(rule: &Rule, i: usize) -> String {
    if let Some(v) = rule.spec.validate {
        let mut spec = rule.spec.clone();
        spec.validate = None;
        let unchecked = Rule::new(spec, rule.origin.clone())
            .expect("the rule was built from this spec already");
        if count_matches(&unchecked, &rule.spec.examples[i]) > 0 {
            return format!(
                "example {} matches the pattern but fails `validate = \"{}\"` (a wrong checksum?)",
                i + 1,
                v.as_str()
            );
        }
    }
    format!("example {} does not match", i + 1)
}

/// Runs one rule alone over `text`, the way a scan would. An `attributed` rule reports
/// nothing alone (its matches need a provider named nearby): it runs with the built-in
/// context rules, and counts the findings it adds to theirs.
pub fn count_matches(rule: &Rule, text: &str) -> usize {
    let copy = || {
        Rule::new(rule.spec.clone(), rule.origin.clone())
            .expect("the rule was built from this spec already")
    };
    if !rule.spec.attributed {
        return scan_with(vec![copy()], text);
    }
    let context_rules = || {
        RulePack::builtin()
            .rules()
            .iter()
            .filter(|r| r.spec.value.is_some())
            .map(|r| Rule::new(r.spec.clone(), r.origin.clone()))
            .collect::<Result<Vec<Rule>, _>>()
            .unwrap_or_default()
    };
    let mut with = context_rules();
    with.push(copy());
    scan_with(with, text).saturating_sub(scan_with(context_rules(), text))
}

/// The number of findings `rules` make in `text`.
fn scan_with(rules: Vec<Rule>, text: &str) -> usize {
    let pack = RulePack::from_rules(rules);
    let Ok(prefilter) = Prefilter::new(&pack) else {
        return 0;
    };
    let mut matcher = Matcher::new(
        &pack,
        &prefilter,
        MatchOptions {
            inline_ignores: true,
            small_inputs: true,
        },
    );
    let mut out = Vec::new();
    matcher.scan(text.as_bytes(), "", &mut out);
    out.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(valid_id("github.pat.classic"));
        assert!(valid_id("aws.access-key-id"));
        assert!(!valid_id("github"));
        assert!(!valid_id("GitHub.pat"));
        assert!(!valid_id("github..pat"));
    }

    #[test]
    fn bare_caret_is_flagged() {
        assert!(bare_caret(
            r"(?:^|[^A-Za-z0-9+/])([A-Za-z0-9+/]{22}==:[A-Za-z0-9]{32})"
        ));
        assert!(bare_caret(r"(?i)^token=(\w+)"));
        assert!(!bare_caret(
            r"(?:(?m:^)|[^A-Za-z0-9+/])([A-Za-z0-9+/]{22}==)"
        ));
        assert!(!bare_caret(r"(?im)(?:^|[\s:])_auth=([A-Za-z0-9+/]{12,})"));
        assert!(!bare_caret(r"\b(ghp_[^\s^]{36})[^^]"));
        assert!(!bare_caret(r"a\^b"));
    }
}
