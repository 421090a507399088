//! gitleaks configuration import: `--config .gitleaks.toml` (and betterleaks' TOML where
//! it is the same format) becomes keytrace rules plus allowlist filters.
//!
//! What maps where:
//!
//! - `[[rules]]` (`id`, `description`, `regex`, `secretGroup`, `entropy`, `keywords`) become
//!   [`RuleSpec`]s. `secretGroup = N` renames capture group N to `secret` (keytrace's
//!   marker); a regex without a capture group is wrapped in one (gitleaks then reports the
//!   whole match). A rule without keywords gets its regex's literal prefix (or suffix) as
//!   keywords, since keytrace's prefilter runs a rule only where a keyword occurs.
//! - A rule's `path` regex and every allowlist (`[allowlist]`, `[[allowlists]]`,
//!   `[rules.allowlist]`, `[[rules.allowlists]]`) are checked by [`MatchFilter`] inside
//!   [`crate::engine::Engine::scan_blob`], where the matched bytes and their line are at hand
//!   (`regexTarget = "match" | "line"`). Allowlists with `commits` need the commit, which
//!   history scans know only after provenance, so those are finished on findings by
//!   [`PostAllowlist`] in `crate::suppress`.
//! - `[extend] useDefault = true` keeps keytrace's built-in pack (not gitleaks' rules: the
//!   ids differ) and adds these rules; without it only these rules run. `[extend] path`
//!   imports another gitleaks config first (same-id rules are replaced whole).
//!   `disabledRules` disables the base's rules by id and built-in rules by keytrace id or
//!   prefix.
//!
//! A rule that cannot be imported (a Go RE2 regex Rust rejects, a `secretGroup` past the
//! last group, no keyword to be found) is reported with file, line, rule id and the reason,
//! skipped, and the run exits 2 at the end, so the rest of the config still scans and CI
//! still notices.

use std::path::Path;

use anyhow::{bail, Context as _};
use regex::bytes::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::engine::filter::{Allowlist, MatchFilter, PostAllowlist, RegexTarget, RuleConds};
use crate::rules::{
    compile_regex, fmt_line, line_of, CredentialKind, Origin, Rule, RulePack, RuleSpec, Severity,
};

/// Whether TOML text is a gitleaks configuration: `[[rules]]` (an array; keytrace's
/// `[rules]` is a table), `[extend]`, `[allowlist]` or `[[allowlists]]`. Text that is not
/// valid TOML is not gitleaks: keytrace's own parser then reports the error.
pub fn is_gitleaks_text(text: &str) -> bool {
    let Ok(table) = text.parse::<toml::Table>() else {
        return false;
    };
    matches!(table.get("rules"), Some(toml::Value::Array(_)))
        || table.contains_key("extend")
        || table.contains_key("allowlist")
        || table.contains_key("allowlists")
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GlConfig {
    #[serde(default)]
    extend: Option<GlExtend>,
    #[serde(default)]
    rules: Vec<Spanned<GlRule>>,
    #[serde(default)]
    allowlist: Option<Spanned<GlAllowlist>>,
    #[serde(default)]
    allowlists: Vec<Spanned<GlAllowlist>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GlExtend {
    #[serde(default)]
    use_default: bool,
    path: Option<String>,
    url: Option<String>,
    #[serde(default)]
    disabled_rules: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GlRule {
    id: Option<String>,
    description: Option<String>,
    regex: Option<String>,
    secret_group: Option<usize>,
    entropy: Option<f64>,
    #[serde(default)]
    keywords: Vec<String>,
    path: Option<String>,
    #[serde(default)]
    allowlist: Option<GlAllowlist>,
    #[serde(default)]
    allowlists: Vec<GlAllowlist>,
    #[serde(default)]
    skip_report: bool,
    required: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GlAllowlist {
    condition: Option<String>,
    regex_target: Option<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    commits: Vec<String>,
    #[serde(default)]
    target_rules: Vec<String>,
}

/// Keys keytrace reads, per table; others get a warning (never silently dropped).
const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "minVersion",
    "extend",
    "rules",
    "allowlist",
    "allowlists",
];
const EXTEND_KEYS: &[&str] = &["useDefault", "path", "url", "disabledRules"];
const RULE_KEYS: &[&str] = &[
    "id",
    "description",
    "regex",
    "secretGroup",
    "entropy",
    "keywords",
    "path",
    "tags",
    "allowlist",
    "allowlists",
    "skipReport",
    "required",
];
const ALLOW_KEYS: &[&str] = &[
    "description",
    "condition",
    "regexTarget",
    "regexes",
    "paths",
    "stopwords",
    "commits",
    "targetRules",
];

/// A gitleaks config turned into keytrace's terms.
#[derive(Debug)]
pub struct Imported {
    /// The file, for messages.
    pub file: String,
    /// `[extend] useDefault = true`: keytrace's built-in pack plus these rules.
    pub use_default: bool,
    /// `[extend] disabledRules`.
    pub disabled: Vec<String>,
    /// The imported rules, compiled.
    pub rules: Vec<Rule>,
    /// Match-time conditions.
    pub filter: MatchFilter,
    /// Allowlists that need the commit.
    pub post: Vec<PostAllowlist>,
    /// Rules or allowlists that could not be imported (each skipped; the run exits 2).
    pub problems: Vec<String>,
    /// Things ignored or approximated (printed, exit code unchanged).
    pub warnings: Vec<String>,
}

/// Reads `path` and imports it if it is a gitleaks config; `None` for keytrace's format.
pub fn load_if_gitleaks(path: &Path) -> anyhow::Result<Option<Imported>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read config file {file}"))?;
    if !is_gitleaks_text(&text) {
        return Ok(None);
    }
    parse(&file, &text).map(Some)
}

/// Imports gitleaks config text. A malformed file (bad TOML, a wrong type) is an error
/// naming the file and line; a rule or allowlist that cannot be imported is a problem in
/// [`Imported::problems`] and is skipped.
pub fn parse(file: &str, text: &str) -> anyhow::Result<Imported> {
    parse_at(file, text, 0)
}

/// How many `[extend] path` hops are followed.
const MAX_EXTEND_DEPTH: usize = 3;

fn parse_at(file: &str, text: &str, depth: usize) -> anyhow::Result<Imported> {
    let cfg: GlConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        anyhow::anyhow!(
            "invalid gitleaks config {file}{}: {}",
            fmt_line(line),
            e.message()
        )
    })?;
    let mut imp = Imported {
        file: file.to_owned(),
        use_default: false,
        disabled: Vec::new(),
        rules: Vec::new(),
        filter: MatchFilter::default(),
        post: Vec::new(),
        problems: Vec::new(),
        warnings: unknown_keys(file, text),
    };
    if let Some(ext) = cfg.extend {
        apply_extend(&mut imp, ext, file, depth)?;
    }
    let globals = cfg.allowlist.into_iter().chain(cfg.allowlists);
    for (i, al) in globals.enumerate() {
        let line = line_of(text, al.span().start);
        let where_ = format!("{file}, line {line}: global allowlist {}", i + 1);
        match compile_allowlist(al.get_ref(), &where_) {
            Ok((list, warns)) => {
                imp.warnings.extend(warns);
                if !list.commits.is_empty() {
                    imp.post.push(PostAllowlist {
                        rule: None,
                        list: list.clone(),
                    });
                }
                imp.filter.global.push(list);
            }
            Err(e) => imp.problems.push(format!("{where_} skipped: {e}")),
        }
    }
    for spanned in &cfg.rules {
        let line = line_of(text, spanned.span().start);
        let gl = spanned.get_ref();
        let Some(id) = gl.id.clone().filter(|s| !s.trim().is_empty()) else {
            imp.problems.push(format!(
                "{file}, line {line}: a [[rules]] entry without `id` skipped"
            ));
            continue;
        };
        let where_ = format!("{file}, line {line}: rule `{id}`");
        // A path-only rule flags a file by its name alone (gitleaks' default config has
        // one, for PKCS#12 files). keytrace reports secrets found in content, so such a
        // rule has nothing to run: said once, not an error, or gitleaks' own default
        // config could never import cleanly.
        if gl.regex.as_deref().is_none_or(str::is_empty)
            && gl.path.as_deref().is_some_and(|p| !p.is_empty())
            && gl.required.is_none()
        {
            imp.warnings.push(format!(
                "{where_}: a path-only rule (no `regex`) is not imported: keytrace reports \
                 secrets in content, not files by name"
            ));
            continue;
        }
        match import_rule(gl, &id, file, &where_) {
            Ok((rule, conds, post, warns)) => {
                imp.warnings.extend(warns);
                imp.post.extend(post);
                imp.filter.rules.insert(id.clone(), conds);
                imp.rules.retain(|r| r.spec.id != id);
                imp.rules.push(rule);
            }
            Err(e) => imp.problems.push(format!("{where_} skipped: {e}")),
        }
    }
    Ok(imp)
}

/// `[extend]`: the base config (`path`, read and imported first), `useDefault`,
/// `disabledRules`; `url` is a problem (keytrace is offline).
fn apply_extend(imp: &mut Imported, ext: GlExtend, file: &str, depth: usize) -> anyhow::Result<()> {
    imp.use_default = ext.use_default;
    let mut disabled = ext.disabled_rules;
    let extends_path = ext.path.as_ref().is_some_and(|p| !p.is_empty());
    if let Some(p) = ext.path.filter(|p| !p.is_empty()) {
        if depth >= MAX_EXTEND_DEPTH {
            bail!("{file}: [extend] path = \"{p}\": more than {MAX_EXTEND_DEPTH} configs extend each other");
        }
        // As given (gitleaks resolves it from the working directory), else next to this file.
        let given = Path::new(&p);
        let base_path = if given.is_absolute() || given.exists() {
            given.to_owned()
        } else {
            Path::new(file)
                .parent()
                .unwrap_or(Path::new("."))
                .join(given)
        };
        let base_file = base_path.display().to_string();
        let base_text = std::fs::read_to_string(&base_path)
            .with_context(|| format!("{file}: [extend] path: failed to read {base_file}"))?;
        // The base's rules and allowlists first; this file's rules replace same-id ones
        // (whole rules: gitleaks merges their fields) and its allowlists add to them.
        let base = parse_at(&base_file, &base_text, depth + 1)?;
        imp.use_default = imp.use_default || base.use_default;
        imp.disabled = base.disabled;
        imp.rules = base.rules;
        // disabledRules names the base's rules (by their ids) or built-in ones.
        let before: Vec<String> = imp.rules.iter().map(|r| r.spec.id.clone()).collect();
        imp.rules.retain(|r| !disabled.contains(&r.spec.id));
        disabled.retain(|d| !before.contains(d));
        imp.filter = base.filter;
        imp.post = base.post;
        imp.problems.extend(base.problems);
        imp.warnings.extend(base.warnings);
    }
    if ext.url.is_some() {
        imp.problems.push(format!(
            "{file}: [extend] url is not supported: keytrace never uses the network"
        ));
    }
    if !extends_path && !imp.use_default && !disabled.is_empty() {
        imp.warnings.push(format!(
            "{file}: [extend] disabledRules has no effect without useDefault = true or path"
        ));
    }
    imp.disabled.extend(disabled);
    Ok(())
}

impl Imported {
    /// What was imported, for `rules list`: rules, and allowlists global and per rule.
    pub fn summary(&self) -> String {
        let rule_lists: usize = self.filter.rules.values().map(|c| c.allowlists.len()).sum();
        format!(
            "{}: imported {} rules, {} global and {} rule allowlists; {} skipped",
            self.file,
            self.rules.len(),
            self.filter.global.len(),
            rule_lists,
            self.problems.len()
        )
    }

    /// The rule pack: keytrace's built-ins (with `useDefault`, minus `disabledRules`) plus
    /// the imported rules. Disabled ids matching no built-in rule are warnings: they are
    /// usually gitleaks' own default rule ids, which keytrace's pack does not have.
    pub fn take_pack(&mut self) -> RulePack {
        let mut pack = if self.use_default {
            let mut p = RulePack::builtin();
            for id in p.disable(&self.disabled) {
                self.warnings.push(format!(
                    "{}: [extend] disabledRules: `{id}` matches no keytrace rule (gitleaks' \
                     default rule ids differ from keytrace's; see `keytrace rules list`)",
                    self.file
                ));
            }
            p
        } else {
            for id in &self.disabled {
                self.warnings.push(format!(
                    "{}: [extend] disabledRules: `{id}` matches no rule of the extended config",
                    self.file
                ));
            }
            RulePack::from_rules(Vec::new())
        };
        pack.extend(std::mem::take(&mut self.rules));
        pack
    }
}

type ImportedRule = (Rule, RuleConds, Vec<PostAllowlist>, Vec<String>);

fn import_rule(gl: &GlRule, id: &str, file: &str, where_: &str) -> anyhow::Result<ImportedRule> {
    let mut warns = Vec::new();
    if gl.required.is_some() {
        bail!("composite rules (`[[rules.required]]`) are not supported");
    }
    if gl.skip_report {
        bail!("`skipReport = true` (a composite rule's auxiliary) is not supported");
    }
    let Some(regex) = gl.regex.as_deref().filter(|r| !r.is_empty()) else {
        bail!(
            "path-only rules (no `regex`) are not supported: keytrace reports secrets, not files"
        );
    };
    // Go's RE2 reads some text differently from Rust's regex crate (a `{` that opens no
    // repetition is a literal there): translate first, then compile, so the error still
    // quotes the user's own text.
    let translated = translate_go_regex(regex);
    compile_regex(&translated).map_err(|e| {
        anyhow::anyhow!(
            "field `regex` is not a regex Rust's regex crate accepts (gitleaks uses Go's RE2; \
             rewrite the unsupported construct): `{regex}`\n{e}"
        )
    })?;
    let pattern = secret_pattern(&translated, gl.secret_group)
        .map_err(|e| anyhow::anyhow!("field `secretGroup`: {e}"))?;
    let mut keywords: Vec<String> = gl
        .keywords
        .iter()
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
        .collect();
    if keywords.is_empty() {
        keywords = derive_keywords(regex).ok_or_else(|| {
            anyhow::anyhow!(
                "no `keywords`, and the regex has no literal prefix or suffix of 3 or more \
                 characters to derive one from; keytrace runs a rule only where one of its \
                 keywords occurs: add `keywords = [\"...\"]`"
            )
        })?;
        warns.push(format!(
            "{where_}: no `keywords`; using {} from the regex",
            keywords
                .iter()
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let multiline = ["\\n", "(?s", "[\\s\\S]", "-----BEGIN"]
        .iter()
        .any(|m| regex.contains(m));
    let name = gl
        .description
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| id.to_owned());
    let spec = RuleSpec {
        keywords,
        pattern,
        min_entropy: gl.entropy.filter(|e| *e > 0.0),
        multiline,
        ..RuleSpec::new(id, name, "custom", CredentialKind::Generic, Severity::High)
    };
    let rule = Rule::new(
        spec,
        Origin {
            file: file.to_owned(),
            builtin: false,
        },
    )?;
    if let Err(e) = rule.compiled() {
        bail!("{e}");
    }
    let path = match gl.path.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => Some(compile_regex(&translate_go_regex(p)).map_err(|e| {
            anyhow::anyhow!("field `path` is not a regex Rust's regex crate accepts:\n{e}")
        })?),
        None => None,
    };
    let mut conds = RuleConds {
        path,
        allowlists: Vec::new(),
    };
    let mut post = Vec::new();
    for (i, al) in gl.allowlist.iter().chain(&gl.allowlists).enumerate() {
        let at = format!("{where_}: allowlist {}", i + 1);
        let (list, w) =
            compile_allowlist(al, &at).map_err(|e| anyhow::anyhow!("allowlist {}: {e}", i + 1))?;
        warns.extend(w);
        if !list.target_rules.is_empty() {
            warns.push(format!(
                "{at}: `targetRules` only applies to global allowlists; ignored"
            ));
        }
        if !list.commits.is_empty() {
            post.push(PostAllowlist {
                rule: Some(id.to_owned()),
                list: list.clone(),
            });
        }
        conds.allowlists.push(Allowlist {
            target_rules: Vec::new(),
            ..list
        });
    }
    Ok((rule, conds, post, warns))
}

fn compile_allowlist(al: &GlAllowlist, where_: &str) -> anyhow::Result<(Allowlist, Vec<String>)> {
    let mut warns = Vec::new();
    let and = match al
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("") | Some("OR") => false,
        Some("AND") => true,
        Some(other) => bail!("field `condition`: `{other}` is neither OR nor AND"),
    };
    let target = match al.regex_target.as_deref() {
        None | Some("") | Some("secret") => RegexTarget::Secret,
        Some("match") => RegexTarget::Match,
        Some("line") => RegexTarget::Line,
        Some(other) => bail!("field `regexTarget`: `{other}` is not secret, match or line"),
    };
    let compile_all = |field: &str, list: &[String]| -> anyhow::Result<Vec<Regex>> {
        list.iter()
            .map(|r| {
                compile_regex(&translate_go_regex(r)).map_err(|e| {
                    anyhow::anyhow!(
                        "field `{field}`: `{r}` is not a regex Rust's regex crate accepts:\n{e}"
                    )
                })
            })
            .collect()
    };
    let list = Allowlist {
        and,
        target,
        regexes: compile_all("regexes", &al.regexes)?,
        paths: compile_all("paths", &al.paths)?,
        stopwords: al
            .stopwords
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| w.to_ascii_lowercase().into_bytes())
            .collect(),
        commits: al
            .commits
            .iter()
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty())
            .collect(),
        target_rules: al.target_rules.clone(),
    };
    if list.and
        && !list.commits.is_empty()
        && target != RegexTarget::Secret
        && !list.regexes.is_empty()
    {
        warns.push(format!(
            "{where_}: condition = \"AND\" with `commits` and regexTarget = \"{}\": the regexes \
             are checked against the secret, not the {}",
            al.regex_target.as_deref().unwrap_or_default(),
            al.regex_target.as_deref().unwrap_or_default()
        ));
    }
    Ok((list, warns))
}

/// The regex keytrace runs for a gitleaks regex: capture group `secret_group` renamed to
/// `secret`; a regex without capture groups wrapped in one (gitleaks then reports the
/// whole match); otherwise unchanged (keytrace takes group 1, gitleaks the first non-empty
/// group: the same for the usual single-group regexes).
pub fn secret_pattern(regex: &str, secret_group: Option<usize>) -> Result<String, String> {
    use regex_syntax::ast::{parse::Parser, print::Printer};
    let mut ast = Parser::new().parse(regex).map_err(|e| e.to_string())?;
    let groups = count_captures(&ast);
    match secret_group.filter(|&n| n > 0) {
        None if groups == 0 => Ok(format!("(?P<secret>{regex})")),
        None => Ok(regex.to_owned()),
        Some(n) if n > groups => Err(format!(
            "{n}, but the regex has {}",
            crate::plural::count(groups, "capture group", "capture groups")
        )),
        Some(n) => {
            rename_capture(&mut ast, n as u32);
            let mut out = String::new();
            Printer::new()
                .print(&ast, &mut out)
                .map_err(|e| e.to_string())?;
            Ok(out)
        }
    }
}

fn count_captures(ast: &regex_syntax::ast::Ast) -> usize {
    use regex_syntax::ast::{Ast, GroupKind};
    match ast {
        Ast::Group(g) => {
            let own = usize::from(!matches!(g.kind, GroupKind::NonCapturing(_)));
            own + count_captures(&g.ast)
        }
        Ast::Concat(c) => c.asts.iter().map(count_captures).sum(),
        Ast::Alternation(a) => a.asts.iter().map(count_captures).sum(),
        Ast::Repetition(r) => count_captures(&r.ast),
        _ => 0,
    }
}

/// Names capture group `index` `secret`; another group already named `secret` is renamed
/// so the names stay unique.
fn rename_capture(ast: &mut regex_syntax::ast::Ast, index: u32) {
    use regex_syntax::ast::{Ast, CaptureName, GroupKind};
    match ast {
        Ast::Group(g) => {
            let span = g.span;
            let this = match &g.kind {
                GroupKind::CaptureIndex(i) => Some(*i),
                GroupKind::CaptureName { name, .. } => Some(name.index),
                GroupKind::NonCapturing(_) => None,
            };
            match this {
                Some(i) if i == index => {
                    g.kind = GroupKind::CaptureName {
                        starts_with_p: true,
                        name: CaptureName {
                            span,
                            name: "secret".to_owned(),
                            index,
                        },
                    };
                }
                Some(i) => {
                    if let GroupKind::CaptureName { name, .. } = &mut g.kind {
                        if name.name == "secret" {
                            name.name = format!("gitleaks_group_{i}");
                        }
                    }
                }
                None => {}
            }
            rename_capture(&mut g.ast, index);
        }
        Ast::Concat(c) => c.asts.iter_mut().for_each(|a| rename_capture(a, index)),
        Ast::Alternation(a) => a.asts.iter_mut().for_each(|a| rename_capture(a, index)),
        Ast::Repetition(r) => rename_capture(&mut r.ast, index),
        _ => {}
    }
}

/// Keywords for a rule that has none: the literals every match starts with (or else ends
/// with), lowercased, when there are at most 16 of them and each has 3 or more bytes.
pub fn derive_keywords(regex: &str) -> Option<Vec<String>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(regex)
        .ok()?;
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        let mut ex = Extractor::new();
        ex.kind(kind).limit_total(64);
        let seq = ex.extract(&hir);
        let Some(lits) = seq.literals() else { continue };
        if lits.is_empty() || lits.iter().any(|l| l.as_bytes().len() < 3) {
            continue;
        }
        let mut kws: Vec<String> = lits
            .iter()
            .map(|l| String::from_utf8_lossy(l.as_bytes()).to_ascii_lowercase())
            .collect();
        kws.sort();
        kws.dedup();
        if kws.len() <= 16 {
            return Some(kws);
        }
    }
    None
}

/// Warnings for keys keytrace does not read (a typo, or a newer gitleaks feature).
fn unknown_keys(file: &str, text: &str) -> Vec<String> {
    let Ok(top) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut check = |table: &toml::Table, known: &[&str], what: &str| {
        for k in table.keys() {
            if !known.contains(&k.as_str()) {
                out.push(format!("{file}: {what}: unknown key `{k}` ignored"));
            }
        }
    };
    check(&top, TOP_KEYS, "top level");
    if let Some(toml::Value::Table(t)) = top.get("extend") {
        check(t, EXTEND_KEYS, "[extend]");
    }
    let tables = |v: Option<&toml::Value>| -> Vec<toml::Table> {
        match v {
            Some(toml::Value::Table(t)) => vec![t.clone()],
            Some(toml::Value::Array(a)) => a.iter().filter_map(|x| x.as_table().cloned()).collect(),
            _ => Vec::new(),
        }
    };
    for t in tables(top.get("allowlist"))
        .iter()
        .chain(&tables(top.get("allowlists")))
    {
        check(t, ALLOW_KEYS, "global allowlist");
    }
    for r in tables(top.get("rules")) {
        let id = r
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or("?")
            .to_owned();
        check(&r, RULE_KEYS, &format!("rule `{id}`"));
        for t in tables(r.get("allowlist"))
            .iter()
            .chain(&tables(r.get("allowlists")))
        {
            check(t, ALLOW_KEYS, &format!("rule `{id}` allowlist"));
        }
    }
    out
}

/// Rewrites the Go RE2 syntax that Rust's regex crate rejects or reads differently, so an
/// imported regex means in keytrace what it means in gitleaks:
/// - a `{` that opens no repetition (`{n}`, `{n,}`, `{n,m}` after something repeatable) is
///   a literal in Go and an error in Rust; `{,n}` is a literal in Go and a repetition in
///   Rust; a lone `}` is a literal in Go: all escaped;
/// - `\Q...\E` quotes a literal in Go and does not exist in Rust: each character escaped;
/// - inside a class, `[` (other than `[:name:]`) and the pairs `&&`, `--`, `~~` are
///   literals in Go and nested classes or set operations in Rust: escaped.
///
/// Everything else is copied as written.
pub fn translate_go_regex(re: &str) -> String {
    let chars: Vec<char> = re.chars().collect();
    let mut out = String::with_capacity(re.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    // Whether the previous token can take a repetition operator.
    let mut repeatable = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            (i, repeatable) = translate_escape(&chars, i, &mut out);
            continue;
        }
        if in_class {
            (i, in_class) = translate_class_char(&chars, i, &mut out);
            // A closed class is an atom.
            repeatable |= !in_class;
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                out.push(c);
                i += 1;
                // `^` and a leading `]` belong to the class as written in both dialects.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push(']');
                    i += 1;
                }
                continue;
            }
            '{' => match repetition_len(&chars[i..]) {
                Some(len) if repeatable => {
                    out.extend(&chars[i..i + len]);
                    i += len;
                    if chars.get(i) == Some(&'?') {
                        out.push('?');
                        i += 1;
                    }
                    repeatable = false;
                    continue;
                }
                _ => {
                    out.push_str("\\{");
                    repeatable = true;
                }
            },
            '}' => {
                out.push_str("\\}");
                repeatable = true;
            }
            '(' => {
                out.push(c);
                // A group's flags or name (`(?i)`, `(?:`, `(?P<name>`) repeat nothing.
                if chars.get(i + 1) == Some(&'?') {
                    while let Some(&g) = chars.get(i + 1) {
                        out.push(g);
                        i += 1;
                        if matches!(g, ':' | ')' | '>') {
                            break;
                        }
                    }
                }
                repeatable = false;
            }
            '|' | '^' => {
                out.push(c);
                repeatable = false;
            }
            '*' | '+' | '?' => {
                out.push(c);
                if chars.get(i + 1) == Some(&'?') {
                    out.push('?');
                    i += 1;
                }
                repeatable = false;
            }
            _ => {
                out.push(c);
                repeatable = true;
            }
        }
        i += 1;
    }
    out
}

/// Copies the escape starting at `chars[i]` (a backslash) in Rust's syntax: returns the
/// index after it and whether a repetition may follow.
fn translate_escape(chars: &[char], i: usize, out: &mut String) -> (usize, bool) {
    let Some(&next) = chars.get(i + 1) else {
        out.push('\\');
        return (chars.len(), true);
    };
    if next == 'Q' {
        let start = i + 2;
        let end = (start..chars.len())
            .find(|&j| chars[j] == '\\' && chars.get(j + 1) == Some(&'E'))
            .unwrap_or(chars.len());
        let literal: String = chars[start..end].iter().collect();
        out.push_str(&regex::escape(&literal));
        return ((end + 2).min(chars.len().max(end)), !literal.is_empty());
    }
    out.push('\\');
    out.push(next);
    let mut i = i + 2;
    // `\p{Greek}`, `\x{263a}`: copy the braces with their escape.
    if matches!(next, 'p' | 'P' | 'x') && chars.get(i) == Some(&'{') {
        while i < chars.len() {
            out.push(chars[i]);
            i += 1;
            if chars[i - 1] == '}' {
                break;
            }
        }
    }
    (i, true)
}

/// Copies one character of a bracket class at `chars[i]` in Rust's syntax (which treats
/// a nested `[`, `&&`, `--` and `~~` as operators): returns the index after it and
/// whether the class is still open.
fn translate_class_char(chars: &[char], i: usize, out: &mut String) -> (usize, bool) {
    let c = chars[i];
    match c {
        ']' => {
            out.push(c);
            return (i + 1, false);
        }
        '[' if chars.get(i + 1) == Some(&':') => {
            // A POSIX class `[:alpha:]`: the same in both.
            let end = (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == ':' && chars[j + 1] == ']');
            match end {
                Some(end) => {
                    out.extend(&chars[i..end + 2]);
                    return (end + 2, true);
                }
                None => out.push_str("\\["),
            }
        }
        '[' => out.push_str("\\["),
        '&' | '-' | '~' if chars.get(i + 1) == Some(&c) => {
            out.push('\\');
            out.push(c);
        }
        _ => out.push(c),
    }
    (i + 1, true)
}

/// The length of a valid RE2 repetition (`{n}`, `{n,}`, `{n,m}`) at the start of `s`.
fn repetition_len(s: &[char]) -> Option<usize> {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while s.get(*i).is_some_and(|c| c.is_ascii_digit()) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if s.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    (s.get(i) == Some(&'}')).then_some(i + 1)
}

#[cfg(test)]
mod tests;
