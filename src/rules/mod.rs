//! Rules: the built-in pack (embedded at build time), user rule files, and the compiled
//! form the matcher runs. Regexes compile lazily, on a rule's first candidate, so a scan
//! that sees three keywords compiles three rules, not four hundred.

pub mod context;
pub mod rotation;
mod spec;

pub use spec::{CredentialKind, RuleAllow, RuleFile, RuleSpec, Severity, Validator};

use std::path::Path;
use std::sync::OnceLock;

use crate::pathmatch::PathMatcher;
use anyhow::{bail, Context as _};
use regex::bytes::{Regex, RegexBuilder};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Where the rule came from: its file, for messages that send the user to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `patterns/<provider>.toml` for built-ins, the user's path otherwise.
    pub file: String,
    /// Whether the rule is part of the built-in pack.
    pub builtin: bool,
}

/// A rule ready to run: its spec plus lazily compiled regexes.
#[derive(Debug)]
pub struct Rule {
    /// The rule as written.
    pub spec: RuleSpec,
    /// The file it came from.
    pub origin: Origin,
    /// `generic.*` rules run the stricter placeholder filters and lose overlaps.
    pub generic: bool,
    compiled: OnceLock<Result<Compiled, String>>,
    allow_paths: OnceLock<Option<PathMatcher>>,
}

/// The compiled regexes of one rule.
#[derive(Debug)]
pub struct Compiled {
    /// The confirming regex.
    pub pattern: Regex,
    /// Index of the capture group holding the secret.
    pub secret_group: usize,
    /// Index of the capture group named `name` (the assigned-to name), if any.
    pub name_group: Option<usize>,
    /// The context regex, if the rule has one.
    pub context: Option<Regex>,
}

/// Compiles a rule regex the way every rule regex is compiled: bytes, ASCII mode.
pub fn compile_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(16 << 20)
        .dfa_size_limit(8 << 20)
        .build()
}

impl Rule {
    /// Wraps a spec; checks its allow-path globs' syntax (cheap) but compiles neither
    /// them nor its regexes: both happen on first use.
    pub fn new(mut spec: RuleSpec, origin: Origin) -> anyhow::Result<Rule> {
        if let Some(value) = &spec.value {
            let built = context::synthesize(&spec.keywords, value)
                .map_err(|e| anyhow::anyhow!("rule {}: {e}", spec.id))?;
            // A spec rebuilt from a wrapped rule (`rules check` does) already carries the
            // built pattern; any other pattern conflicts with `value`.
            if !spec.pattern.is_empty() && spec.pattern != built.pattern {
                bail!(
                    "rule {}: fields `pattern` and `value` exclude each other: a context rule \
                     (`value`) has its pattern built from its keywords",
                    spec.id
                );
            }
            spec.pattern = built.pattern;
            spec.min_entropy.get_or_insert(built.min_entropy);
        }
        if let Some(a) = &spec.allow {
            for p in &a.paths {
                crate::pathmatch::check(p)
                    .map_err(|e| anyhow::anyhow!("rule {}: field `allow.paths`: {e}", spec.id))?;
            }
        }
        Ok(Rule {
            generic: spec.id.starts_with("generic."),
            spec,
            origin,
            compiled: OnceLock::new(),
            allow_paths: OnceLock::new(),
        })
    }

    /// The compiled regexes, compiling them on first use.
    pub fn compiled(&self) -> Result<&Compiled, &str> {
        self.compiled
            .get_or_init(|| compile_rule(&self.spec))
            .as_ref()
            .map_err(|e| e.as_str())
    }

    /// Whether this rule's own allow list excludes `path`.
    pub fn path_allowed(&self, path: &str) -> bool {
        self.allow_paths
            .get_or_init(|| match self.spec.allow.as_ref().map(|a| &a.paths) {
                Some(paths) if !paths.is_empty() => PathMatcher::new(paths).ok(),
                _ => None,
            })
            .as_ref()
            .is_some_and(|g| g.is_match(path))
    }

    /// Whether this rule's own allow list excludes the secret value.
    pub fn value_allowed(&self, secret: &[u8]) -> bool {
        self.spec
            .allow
            .as_ref()
            .is_some_and(|a| a.values.iter().any(|v| v.as_bytes() == secret))
    }
}

fn compile_rule(spec: &RuleSpec) -> Result<Compiled, String> {
    let pattern = compile_regex(&spec.pattern).map_err(|e| format!("field `pattern`: {e}"))?;
    let secret_group = match pattern.capture_names().position(|n| n == Some("secret")) {
        Some(i) => i,
        None if pattern.captures_len() > 1 => 1,
        None => return Err("field `pattern`: no capture group for the secret".to_owned()),
    };
    let name_group = pattern.capture_names().position(|n| n == Some("name"));
    let context = match &spec.context {
        Some(c) => Some(compile_regex(c).map_err(|e| format!("field `context`: {e}"))?),
        None => None,
    };
    Ok(Compiled {
        pattern,
        secret_group,
        name_group,
        context,
    })
}

/// The set of rules a scan runs, in a stable order.
#[derive(Debug)]
pub struct RulePack {
    rules: Vec<Rule>,
}

impl RulePack {
    /// The built-in pack.
    pub fn builtin() -> RulePack {
        let rules = builtin_specs()
            .into_iter()
            .map(|(file, spec)| {
                let origin = Origin {
                    file: file.to_owned(),
                    builtin: true,
                };
                Rule::new(spec, origin)
                    .expect("built-in allow globs and value classes are checked by the test suite")
            })
            .collect();
        RulePack { rules }
    }

    /// A pack of the given rules.
    pub fn from_rules(rules: Vec<Rule>) -> RulePack {
        RulePack { rules }
    }

    /// All rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// How many distinct providers the rules cover.
    pub fn provider_count(&self) -> usize {
        let mut providers: Vec<&str> = self
            .rules
            .iter()
            .map(|r| r.spec.provider.as_str())
            .collect();
        providers.sort_unstable();
        providers.dedup();
        providers.len()
    }

    /// Rule by index.
    pub fn get(&self, i: usize) -> &Rule {
        &self.rules[i]
    }

    /// Removes rules whose id equals or starts with one of `ids` (a prefix ending in `.`
    /// disables a family). Returns the entries that matched nothing.
    pub fn disable(&mut self, ids: &[String]) -> Vec<String> {
        let mut unused = Vec::new();
        for id in ids {
            let before = self.rules.len();
            self.rules.retain(|r| !id_selects(id, &r.spec.id));
            if self.rules.len() == before {
                unused.push(id.clone());
            }
        }
        unused
    }

    /// Adds user rules; a rule with the id of an existing one replaces it.
    pub fn extend(&mut self, rules: Vec<Rule>) {
        for rule in rules {
            match self.rules.iter_mut().find(|r| r.spec.id == rule.spec.id) {
                Some(slot) => *slot = rule,
                None => self.rules.push(rule),
            }
        }
    }

    /// Keeps only the rules selected by `ids` (exact ids or prefixes).
    pub fn retain_selected(&mut self, ids: &[String]) {
        self.rules
            .retain(|r| ids.iter().any(|id| id_selects(id, &r.spec.id)));
    }
}

/// Whether a selector (an exact id, or a prefix ending in `.` or `*`) selects `id`.
pub fn id_selects(selector: &str, id: &str) -> bool {
    let sel = selector.trim_end_matches('*');
    if sel.ends_with('.') {
        id.starts_with(sel)
    } else {
        id == sel || (id.starts_with(sel) && id.as_bytes().get(sel.len()) == Some(&b'.'))
    }
}

/// Parses a user rule file's text; errors name the file, the rule id and the field, with
/// the line where the parser gives one.
pub fn parse_rule_file(file: &str, text: &str) -> anyhow::Result<Vec<RuleSpec>> {
    match toml::from_str::<RuleFile>(text) {
        Ok(f) => Ok(f.rules),
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            let rule = e.span().and_then(|s| rule_id_before(text, s.start));
            let mut msg = format!("invalid rule file {file}");
            if let Some(l) = line {
                msg.push_str(&format!(", line {l}"));
            }
            if let Some(id) = rule {
                msg.push_str(&format!(", rule `{id}`"));
            }
            bail!("{msg}: {}", e.message())
        }
    }
}

/// Reads and parses a user rule file and wraps its rules.
pub fn load_rule_file(path: &Path) -> anyhow::Result<Vec<Rule>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read rule file {file}"))?;
    let specs = parse_rule_file(&file, &text)?;
    specs
        .into_iter()
        .map(|spec| {
            let line = line_of_rule(&text, &spec.id);
            let id = spec.id.clone();
            if spec.pattern.is_empty() && spec.value.is_none() {
                bail!(
                    "invalid rule in {file}{}: rule `{id}`: field `pattern` is missing (or give \
                     `value` for a context rule)",
                    fmt_line(line)
                );
            }
            Rule::new(
                spec,
                Origin {
                    file: file.clone(),
                    builtin: false,
                },
            )
            .with_context(|| format!("invalid rule in {file}{}", fmt_line(line)))
            .with_context(|| format!("rule `{id}`"))
        })
        .collect()
}

/// `, line N` or nothing.
pub fn fmt_line(line: Option<usize>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}

/// 1-based line number of byte offset `at`.
pub fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line of `id = "<id>"` in a rule file's text, for messages about a rule.
pub fn line_of_rule(text: &str, id: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with("id") && l.contains(&format!("\"{id}\""))
                || l.contains(&format!("'{id}'"))
        })
        .map(|i| i + 1)
}

fn rule_id_before(text: &str, at: usize) -> Option<String> {
    let head = &text[..at.min(text.len())];
    let start = head.rfind("[[rule]]")?;
    let block = &text[start..];
    block.lines().take_while(|_| true).find_map(|l| {
        let l = l.trim();
        let rest = l.strip_prefix("id")?.trim_start().strip_prefix('=')?.trim();
        Some(rest.trim_matches(|c| c == '"' || c == '\'').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_match_ids_and_families() {
        assert!(id_selects("aws.", "aws.access-key-id"));
        assert!(id_selects("aws", "aws.access-key-id"));
        assert!(id_selects("aws.*", "aws.access-key-id"));
        assert!(!id_selects("aw", "aws.access-key-id"));
        assert!(id_selects("github.pat.classic", "github.pat.classic"));
        assert!(!id_selects("github.pat.classic", "github.pat.classic-x"));
    }

    #[test]
    fn parse_error_names_line_and_rule() {
        let text = "[[rule]]\nid = \"a.b\"\nname = \"n\"\nprovider = \"p\"\ncredential = \"api-token\"\nseverity = \"loud\"\npattern = '(x)'\n";
        let err = parse_rule_file("rules.toml", text).unwrap_err().to_string();
        assert!(err.contains("rules.toml"), "{err}");
        assert!(err.contains("line 6"), "{err}");
        assert!(err.contains("a.b"), "{err}");
    }

    #[test]
    fn unknown_field_is_an_error() {
        let text = "[[rule]]\nid = \"a.b\"\nname = \"n\"\nprovider = \"p\"\ncredential = \"api-token\"\nseverity = \"low\"\npattern = '(x)'\nkeyword = [\"x\"]\n";
        let err = parse_rule_file("r.toml", text).unwrap_err().to_string();
        assert!(err.contains("keyword"), "{err}");
    }

    /// Issue 11: `allow.paths` are gitignore patterns: `*` stays within a directory, `**`
    /// crosses; a bad pattern names the rule and field.
    #[test]
    fn allow_paths_star_stays_in_a_directory_double_star_crosses() {
        let text = "[[rule]]\nid = \"a.b\"\nname = \"n\"\nprovider = \"p\"\ncredential = \"api-token\"\nseverity = \"low\"\npattern = '(x)'\nallow = { paths = [\"docs/*.md\", \"examples/**/*.env\"] }\n";
        let spec = parse_rule_file("r.toml", text).unwrap().remove(0);
        let origin = Origin {
            file: "r.toml".into(),
            builtin: false,
        };
        let rule = Rule::new(spec.clone(), origin.clone()).unwrap();
        assert!(rule.path_allowed("docs/a.md"));
        assert!(!rule.path_allowed("docs/api/a.md"));
        assert!(rule.path_allowed("examples/a.env"));
        assert!(rule.path_allowed("examples/x/y/a.env"));
        assert!(!rule.path_allowed("src/examples/a.env"));
        let mut bad = spec;
        bad.allow.as_mut().unwrap().paths = vec!["docs/[".into()];
        let err = format!("{:#}", Rule::new(bad, origin).unwrap_err());
        assert!(
            err.contains("rule a.b: field `allow.paths`: bad pattern `docs/[`"),
            "{err}"
        );
    }

    #[test]
    fn builtin_pack_loads() {
        let pack = RulePack::builtin();
        assert!(!pack.rules().is_empty());
    }
}
