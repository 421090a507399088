//! The config-file credential pass: the third rule shape beside token rules and context
//! rules. Files in which common tools document that they keep credentials are recognised
//! by their path (`.netrc`, `.pgpass`, `wp-config.php`, `application.yml`, ...) or, where
//! no path is known or the name says nothing, by a signature in their first bytes
//! (`<FileZilla3>`, `<tomcat-users>`, `[Sessions\...]`). Their password and token fields
//! are then read with the format's own structure (netrc tokens, pgpass colon fields, INI
//! and env lines, YAML and properties keys, JSON, PHP and Python string literals, XML
//! elements and attributes, SQL `IDENTIFIED BY`), and connection strings and URL userinfo
//! inside any of their values are read too.
//!
//! Inside such a file a short human password under a name that unambiguously means a
//! password is a credential: entropy is the wrong gate. Placeholders, template variables,
//! references to the environment and obvious examples are the filter instead.
//!
//! Each format has two rules, `config.<format>.password` and `config.<format>.token`,
//! carried in the rule pack (so `rules list`, `rules.disable`, SARIF and baselines know
//! them) with an empty `pattern`: they run only here. The pass is cheap: a path or
//! signature check first, a keyword check next, and parsing only for files that pass both.

use aho_corasick::AhoCorasick;

use super::RawMatch;
use crate::rules::{CredentialKind, Origin, Rule, RulePack, RuleSpec, Severity};

mod commands;
mod escaped;
mod formats;
mod judge;
mod jwk;
mod keyblock;
mod notes;
mod parse;
mod recognise;
mod source;
mod sql;
mod wordlines;
use formats::*;
use parse::*;
use recognise::*;

/// How far into a file the content signatures are looked for.
const SNIFF_BYTES: usize = 8 * 1024;
/// Files larger than this are not parsed (SQL dumps excepted: their pass is linear).
const MAX_PARSE: usize = 4 << 20;

/// The pass, built once per engine over the rules present in its pack.
#[derive(Debug)]
pub struct ConfigPass {
    /// Per format: the pack indexes of its password and token rules (None when disabled
    /// or absent).
    rules: Vec<[Option<u32>; 2]>,
    sniff: AhoCorasick,
    sniff_pathless: AhoCorasick,
    keywords: AhoCorasick,
    /// The pack indexes of the private-key rules the key-block reader reports under.
    key_rules: Vec<(&'static str, u32)>,
    /// The pack indexes of the command-line password rule and the Basic header rule.
    cli_rule: Option<u32>,
    basic_rule: Option<u32>,
    /// The pack index of the SQL password rule, under which account statements in any
    /// file are reported.
    sql_rule: Option<u32>,
}

/// Stems at least one of which a file must hold to be parsed.
const KEYWORDS: &[&str] = &[
    "pass",
    // `pwd`, and notes' `PW:`.
    "pw",
    "secret",
    "token",
    "key",
    "auth",
    "salt",
    "identified",
    "://",
    "credential",
    "master",
    // A JSON Web Key's type member (`jwk`): its private members have one-letter names.
    "\"kty\"",
];

impl ConfigPass {
    /// The pass over the config rules of `pack`, or None when the pack has none.
    pub fn new(pack: &RulePack) -> Option<ConfigPass> {
        let mut any = false;
        let rules = FORMATS
            .iter()
            .map(|f| {
                let find = |kind: &str| {
                    let id = format!("config.{}.{kind}", f.slug);
                    pack.rules()
                        .iter()
                        .position(|r| r.spec.id == id)
                        .map(|i| i as u32)
                };
                let pair = [find("password"), find("token")];
                any |= pair.iter().any(Option::is_some);
                pair
            })
            .collect();
        if !any {
            return None;
        }
        let key_rules = keyblock::RULE_IDS
            .iter()
            .filter_map(|id| {
                let i = pack.rules().iter().position(|r| r.spec.id == *id)?;
                Some((*id, i as u32))
            })
            .collect();
        let find = |id: &str| {
            pack.rules()
                .iter()
                .position(|r| r.spec.id == id)
                .map(|i| i as u32)
        };
        let (cli_rule, basic_rule) = (find(CLI_RULE), find("basicauth.authorization-header"));
        let sql_rule = find("config.sql.password");
        let build = |pats: Vec<&str>, ci: bool| {
            aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(ci)
                .build(pats)
                .ok()
        };
        Some(ConfigPass {
            rules,
            sniff: build(SIGNATURES.iter().map(|s| s.0).collect(), false)?,
            sniff_pathless: build(
                SIGNATURES
                    .iter()
                    .chain(PATHLESS_SIGNATURES)
                    .map(|s| s.0)
                    .collect(),
                false,
            )?,
            keywords: build(KEYWORDS.to_vec(), true)?,
            key_rules,
            cli_rule,
            basic_rule,
            sql_rule,
        })
    }

    /// Appends to `out` the credentials of `data` if it is a recognised config file
    /// (`path` empty when unknown). Matches on a line with an inline allow marker are
    /// dropped when `inline_ignores`; their secret spans go to `allowed`, to be counted
    /// once with the matcher's.
    pub fn scan(
        &self,
        data: &[u8],
        path: &str,
        inline_ignores: bool,
        out: &mut Vec<RawMatch>,
        allowed: &mut Vec<(usize, usize)>,
    ) {
        self.scan_keys(data, path, inline_ignores, out, allowed);
        // JSON that no name calls configuration is data (`recognise`): only what its content
        // says is a credential is read there, documents kept in its strings and JSON Web Keys.
        let (fi, data_json) = match self.recognise(data, path) {
            Some(fi) => (fi, false),
            None if path.to_ascii_lowercase().ends_with(".json") => {
                match FORMATS.iter().position(|f| f.slug == "json") {
                    Some(fi) => (fi, true),
                    None => return,
                }
            }
            None => return,
        };
        let format = &FORMATS[fi];
        if format.syntax != Syntax::Sql && data.len() > MAX_PARSE {
            return;
        }
        // Formats whose every entry is a credential name no field: no keyword to look for.
        let keyed = !matches!(
            format.syntax,
            Syntax::WholeFile | Syntax::Pgpass | Syntax::Userlist | Syntax::Htpasswd
        );
        if keyed && !self.keywords.is_match(data) {
            return;
        }
        // Kubernetes Secrets hold base64 or sealed values: the kubernetes rules and the
        // decoding pass read them.
        if memchr::memmem::find(data, b"kind: Secret").is_some()
            || memchr::memmem::find(data, b"kind: SealedSecret").is_some()
        {
            return;
        }
        let mut found = Vec::new();
        if data_json {
            each_line(data, |l, at| json_line(format, l, at, &mut found));
        } else if format.slug == "source" {
            each_line(data, |l, at| source::line(format, l, at, &mut found));
        } else {
            extract(format, data, &mut found);
        }
        if format.syntax == Syntax::Code {
            jwk::private_members(data, &mut found);
        }
        // Values in an `encrypted:` / SOPS block are ciphertext, as for the generic detector.
        found.retain(|&(_, s, _)| !under_ciphertext(data, s));
        for (kind, s, e) in found {
            let Some(rule) = self.rules[fi][kind as usize] else {
                continue;
            };
            // In documentation a value with a blank is prose (`password: the one you chose`),
            // and a stock example password (`123456`, `test1`, `mypass`) is an example.
            if format.slug == "docs"
                && (data[s..e].iter().any(u8::is_ascii_whitespace)
                    || judge::example_password(&data[s..e]))
            {
                continue;
            }
            // The generic detector's judgement of a digest-shaped value (a checksum, a
            // commit id, a protocol token) holds here too: the name must say credential.
            // A token that counts or repeats (`0123456789abcdef...`) is a placeholder.
            if kind == Kind::Token
                && (super::filters::is_sequential(&data[s..e])
                    || super::filters::is_periodic(&data[s..e]))
            {
                continue;
            }
            // Stand-ins and password hashes, as for every detector.
            if super::filters::standin::field_rejects(kind == Kind::Token, &data[s..e]) {
                continue;
            }
            // Only named fields are judged: a whole-file key (`config/master.key`) or a
            // pgpass/userlist/htpasswd entry has no name.
            if keyed && super::filters::is_digest_shaped(&data[s..e]) {
                let says_nothing = |name: &[u8]| {
                    !name.is_empty()
                        && (super::filters::generic_name_rejects(name)
                            || !super::filters::names_a_credential(name))
                };
                // A member of a JSON document kept in a string whose own name says
                // nothing (`"Apitoken": "{\"sig\":\"...\"}"`) is judged by the document's.
                if says_nothing(field_name_before(data, s))
                    && escaped::enclosing_literal(data, s)
                        .and_then(|(ls, q)| assigned_name(&data[ls..], q))
                        .is_none_or(|p| says_nothing(&p))
                {
                    continue;
                }
            }
            if inline_ignores && super::has_inline_allow(data, s, e) {
                allowed.push((s, e));
                continue;
            }
            if out
                .iter()
                .any(|m| m.secret_start < e && s < m.secret_end && m.rule == rule)
            {
                continue;
            }
            out.push(RawMatch {
                rule,
                start: s,
                end: e,
                secret_start: s,
                secret_end: e,
            });
        }
    }

    /// Appends what the readers that run on every file see: private-key blocks the
    /// private-key rules' strict shape misses, command-line passwords and Basic header
    /// values (a match a provider rule also made is merged away with theirs).
    fn scan_keys(
        &self,
        data: &[u8],
        path: &str,
        inline_ignores: bool,
        out: &mut Vec<RawMatch>,
        allowed: &mut Vec<(usize, usize)>,
    ) {
        let mut found: Vec<(u32, usize, usize)> = Vec::new();
        if !self.key_rules.is_empty() && memchr::memmem::find(data, b"PRIVATE KEY").is_some() {
            for (id, s, e) in keyblock::blocks(data) {
                if let Some(&(_, rule)) = self.key_rules.iter().find(|(r, _)| *r == id) {
                    found.push((rule, s, e));
                }
            }
        }
        let docs = format_for_path(path) == Some("docs");
        let mut lines = Vec::new();
        wordlines::lines(data, &mut lines);
        for (what, s, e) in commands::scan(data, &lines) {
            // Documentation shows commands with the tools' stock example passwords.
            if docs && judge::example_password(&data[s..e]) {
                continue;
            }
            let rule = match what {
                commands::Found::Option => self.cli_rule,
                commands::Found::Basic => self.basic_rule,
            };
            if let Some(rule) = rule {
                found.push((rule, s, e));
            }
        }
        if let Some(rule) = self.sql_rule {
            for (s, e) in sql::statements(data, &lines) {
                let example = docs && judge::example_password(&data[s..e]);
                if !example && !super::filters::standin::field_rejects(false, &data[s..e]) {
                    found.push((rule, s, e));
                }
            }
        }
        for (rule, s, e) in found {
            if inline_ignores && super::has_inline_allow(data, s, e) {
                allowed.push((s, e));
                continue;
            }
            out.push(RawMatch {
                rule,
                start: s,
                end: e,
                secret_start: s,
                secret_end: e,
            });
        }
    }

    /// The index in [`FORMATS`] of the format of `data` at `path`.
    fn recognise(&self, data: &[u8], path: &str) -> Option<usize> {
        let by_path = if path.is_empty() || path == "-" {
            None
        } else {
            format_for_path(path)
        };
        let slug = match by_path {
            // A generic config name: a specific signature inside says more.
            Some("generic") | Some("json") | Some("xml") | Some("source") | Some("notes")
            | None => {
                let pathless = path.is_empty() || path == "-";
                // Source code and documentation quote config files; only data files
                // and files without an extension are sniffed (a Go or Python file that
                // reads `"DB_PASSWORD"` is not a wp-config.php).
                if !pathless && !sniffable(path) {
                    match by_path {
                        None => return None,
                        Some("source") => return FORMATS.iter().position(|f| f.slug == "source"),
                        Some(_) => {}
                    }
                }
                let head = &data[..data.len().min(SNIFF_BYTES)];
                let ac = if pathless {
                    &self.sniff_pathless
                } else {
                    &self.sniff
                };
                match ac.find(head) {
                    Some(m) => {
                        let all: Vec<&(&str, &str)> = if pathless {
                            SIGNATURES.iter().chain(PATHLESS_SIGNATURES).collect()
                        } else {
                            SIGNATURES.iter().collect()
                        };
                        all[m.pattern().as_usize()].1
                    }
                    None => by_path?,
                }
            }
            Some(s) => s,
        };
        FORMATS.iter().position(|f| f.slug == slug)
    }
}

/// Whether a file at `path` that no name recognises may still be recognised by content.
fn sniffable(path: &str) -> bool {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let ext = match base.rsplit_once('.') {
        Some((stem, e)) if !stem.is_empty() => e.to_ascii_lowercase(),
        _ => return true,
    };
    matches!(
        ext.as_str(),
        "xml"
            | "config"
            | "json"
            | "ini"
            | "conf"
            | "cfg"
            | "properties"
            | "php"
            | "inc"
            | "txt"
            | "bak"
            | "old"
            | "orig"
            | "dist"
            | "sample"
            | "local"
            | "yml"
            | "yaml"
    )
}

/// The config rules, one password and (where the format has tokens) one token rule per
/// format, for the rule pack.
pub fn rules() -> Vec<Rule> {
    let mut out = Vec::new();
    for f in FORMATS {
        for (kind, examples) in [("password", f.examples), ("token", f.token_examples)] {
            if examples.is_empty() {
                continue;
            }
            let (name, credential) = if kind == "password" {
                (
                    format!("Password in a {} file", f.name),
                    CredentialKind::Password,
                )
            } else {
                (
                    format!("Token or secret key in a {} file", f.name),
                    CredentialKind::ApiToken,
                )
            };
            // Config rules run in the config-file pass: no keywords, no regex.
            let spec = RuleSpec {
                examples: examples.iter().map(|s| (*s).to_owned()).collect(),
                negative_examples: f.negatives.iter().map(|s| (*s).to_owned()).collect(),
                references: vec![f.reference.to_owned()],
                ..RuleSpec::new(
                    format!("config.{}.{kind}", f.slug),
                    name,
                    f.provider,
                    credential,
                    Severity::High,
                )
            };
            if let Ok(rule) = Rule::new(
                spec,
                Origin {
                    file: "src/matcher/configfile.rs".to_owned(),
                    builtin: true,
                },
            ) {
                out.push(rule);
            }
        }
    }
    if let Ok(rule) = Rule::new(cli_rule_spec(), origin()) {
        out.push(rule);
    }
    out
}

/// The rule of passwords given on a command line (the `commands` reader).
const CLI_RULE: &str = "config.cli.password";

fn origin() -> Origin {
    Origin {
        file: "src/matcher/configfile/commands.rs".to_owned(),
        builtin: true,
    }
}

fn cli_rule_spec() -> RuleSpec {
    let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
    RuleSpec {
        examples: strings(&[
            "mysql -h db.lan -u app -pQuail-88 app < dump.sql",
            "nats stream ls --user admin --password s3cr3t!",
            "RUN openssl pkcs12 -export -in c.pem -passout pass:Tern7 -out c.p12",
            "curl -u deploy:Wp-8812x https://ci.corp.lan/api",
            "curl_easy_setopt(h, CURLOPT_PASSWORD, \"KiASRCRiGFLP\");",
            "$pw = ConvertTo-SecureString 'Ps-Vx81k!' -AsPlainText -Force",
        ]),
        negative_examples: strings(&[
            "mysql -u root -p app",
            "app --password \"$DB_PASSWORD\"",
            "curl -u deploy https://ci.corp.lan/api",
        ]),
        references: vec![
            "https://dev.mysql.com/doc/refman/8.0/en/connection-options.html#option_general_password"
                .to_owned(),
            "https://docs.openssl.org/master/man1/openssl-passphrase-options/".to_owned(),
            "https://curl.se/docs/manpage.html#-u".to_owned(),
            "https://curl.se/libcurl/c/CURLOPT_USERPWD.html".to_owned(),
            "https://www.gnupg.org/documentation/manuals/gnupg/GPG-Esoteric-Options.html".to_owned(),
            "https://learn.microsoft.com/powershell/module/microsoft.powershell.security/convertto-securestring".to_owned(),
        ],
        ..RuleSpec::new(
            CLI_RULE.to_owned(),
            "Password given on a command line".to_owned(),
            "config",
            CredentialKind::Password,
            Severity::High,
        )
    }
}

/// Whether the value at `s` sits under ciphertext as the generic detector judges it
/// (`encrypted:` and SOPS blocks, a signature above it), with one difference: a sibling
/// line that is a setting about signing or encryption (`oauth_signature_method:
/// 'HMAC-SHA1'`, `signature_version = 4`, `encryption_type: aes`) names a scheme, and
/// the credentials that scheme signs with sit beside it in the clear. Such lines are
/// neutralised (kept as lines, their words hidden) before the generic judgement.
fn under_ciphertext(data: &[u8], s: usize) -> bool {
    if !super::filters::generic_context_rejects(data, s) {
        return false;
    }
    let line_start = memchr::memrchr(b'\n', &data[..s]).map_or(0, |i| i + 1);
    let indent = |l: &[u8]| l.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    let own = indent(&data[line_start..s]);
    // The two lines above, the only siblings the generic judgement reads.
    let mut window = line_start;
    for _ in 0..2 {
        if window == 0 {
            break;
        }
        window = memchr::memrchr(b'\n', &data[..window - 1]).map_or(0, |i| i + 1);
    }
    // The generic judgement reads at most 40 lines above: a copy of those is enough.
    let mut from = line_start;
    for _ in 0..41 {
        if from == 0 {
            break;
        }
        from = memchr::memrchr(b'\n', &data[..from - 1]).map_or(0, |i| i + 1);
    }
    let mut copy = data[from..s].to_vec();
    let mut at = window;
    while at < line_start {
        let end = memchr::memchr(b'\n', &data[at..line_start]).map_or(line_start, |i| at + i);
        let line = &data[at..end];
        let name_end = line
            .iter()
            .position(|b| matches!(b, b':' | b'='))
            .unwrap_or(line.len());
        let setting = judge::words(&line[..name_end])
            .iter()
            .any(|w| judge::NOT_SECRET_WORDS.contains(&w.as_str()));
        if indent(line) >= own && setting {
            for b in &mut copy[at + indent(line) - from..end - from] {
                *b = b'x';
            }
        }
        at = end + 1;
    }
    super::filters::generic_context_rejects(&copy, s - from)
}

/// The field name a value at `start` is assigned to: the last name-like word before it on
/// its line (`token_service_revision` in `  token_service_revision: 50b6...`).
fn field_name_before(data: &[u8], start: usize) -> &[u8] {
    let line_start = memchr::memrchr(b'\n', &data[..start]).map_or(0, |i| i + 1);
    let head = &data[line_start..start];
    let name_char = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/');
    let end = head.iter().rposition(name_char).map_or(0, |i| i + 1);
    let begin = head[..end]
        .iter()
        .rposition(|b| !name_char(b))
        .map_or(0, |i| i + 1);
    &head[begin..end]
}

/// Merges the pass's matches `found` into `raw` (a buffer's matches, kept in offset
/// order): a provider rule's match of the same secret wins (its id is older and more
/// precise), and the pass's match replaces a generic detector's.
pub fn merge(pack: &RulePack, raw: &mut Vec<RawMatch>, found: Vec<RawMatch>) {
    if found.is_empty() {
        return;
    }
    let overlaps =
        |a: &RawMatch, b: &RawMatch| a.secret_start < b.secret_end && b.secret_start < a.secret_end;
    let mut added = false;
    for m in found {
        if raw
            .iter()
            .any(|r| !pack.get(r.rule as usize).generic && overlaps(r, &m))
        {
            continue;
        }
        raw.retain(|r| !(pack.get(r.rule as usize).generic && overlaps(r, &m)));
        raw.push(m);
        added = true;
    }
    if added {
        raw.sort_by_key(|m| (m.start, m.end, m.rule));
    }
}

#[cfg(test)]
mod tests {
    use super::judge::classify;
    use super::*;

    fn pass() -> (RulePack, ConfigPass) {
        let pack = RulePack::from_rules(rules());
        let cp = ConfigPass::new(&pack).expect("config rules present");
        (pack, cp)
    }

    fn found(path: &str, text: &str) -> Vec<(String, String)> {
        let (pack, cp) = pass();
        let mut out = Vec::new();
        cp.scan(text.as_bytes(), path, true, &mut out, &mut Vec::new());
        out.iter()
            .map(|m| {
                (
                    pack.get(m.rule as usize).spec.id.clone(),
                    text[m.secret_start..m.secret_end].to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn every_rule_example_is_found_and_no_negative_is() {
        let mut problems = Vec::new();
        for f in FORMATS {
            for (kind, examples) in [("password", f.examples), ("token", f.token_examples)] {
                let id = format!("config.{}.{kind}", f.slug);
                for e in examples {
                    let got = found(f.sample_path, e);
                    if !got.iter().any(|(r, _)| *r == id) {
                        problems.push(format!(
                            "{id}: example {e:?} at {} found {got:?}",
                            f.sample_path
                        ));
                    }
                }
            }
            for n in f.negatives {
                let got = found(f.sample_path, n);
                if !got.is_empty() {
                    problems.push(format!("{}: negative {n:?} found {got:?}", f.slug));
                }
            }
            assert_eq!(
                FORMATS.iter().position(|g| g.slug == f.slug),
                format_for_path(f.sample_path)
                    .and_then(|s| FORMATS.iter().position(|g| g.slug == s)),
                "{} is not recognised at {}",
                f.slug,
                f.sample_path
            );
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_format_has_rules_with_examples() {
        for f in FORMATS {
            assert!(
                f.examples.len() >= 2 || f.examples.is_empty(),
                "{}: two examples",
                f.slug
            );
            assert!(
                !(f.examples.is_empty() && f.token_examples.is_empty()),
                "{}",
                f.slug
            );
            assert!(!f.negatives.is_empty(), "{}", f.slug);
            assert!(f.reference.starts_with("https://"), "{}", f.slug);
        }
    }

    #[test]
    fn short_passwords_count_placeholders_do_not() {
        assert_eq!(found(".env", "DB_PASSWORD=Rowan\n").len(), 1);
        for v in [
            "${DB_PASSWORD}",
            "{{ db_password }}",
            "%(pw)s",
            "<password>",
            "$DB_PASS",
            "changeme",
            "***",
            "your_password",
            "null",
            "false",
            "xxx",
            "os.environ['X']",
        ] {
            assert!(
                found(".env", &format!("DB_PASSWORD={v}\n")).is_empty(),
                "{v}"
            );
        }
    }

    #[test]
    fn names_are_classified_by_words() {
        let f = FORMATS.iter().find(|f| f.slug == "generic").unwrap();
        for n in [
            "password",
            "DB_PASSWORD",
            "spring.datasource.password",
            "ossrhPassword",
            "db_pass",
            "ClearTextPassword",
            "smtp_pwd",
        ] {
            assert_eq!(classify(f, n.as_bytes()), Some(Kind::Password), "{n}");
        }
        for n in [
            "api_token",
            "client_secret",
            "SECRET_KEY",
            "apiKey",
            "access_key",
        ] {
            assert_eq!(classify(f, n.as_bytes()), Some(Kind::Token), "{n}");
        }
        for n in [
            "password_file",
            "PASSWORD_MIN_LENGTH",
            "password_reset_url",
            "token_url",
            "aws_access_key_id",
            "passenger",
            "bypass_cache",
            "compass",
            "secret_name",
            "keyboard",
        ] {
            assert_eq!(classify(f, n.as_bytes()), None, "{n}");
        }
    }

    #[test]
    fn connection_strings_and_userinfo_in_values() {
        let got = found(
            "appsettings.json",
            "{\"Db\": \"Server=x;User Id=sa;Password=Kiwi2020;\"}",
        );
        assert_eq!(
            got,
            vec![(
                "config.appsettings.password".to_owned(),
                "Kiwi2020".to_owned()
            )]
        );
        let got = found("pip.conf", "index-url = https://u:Fig9@pypi.lan/simple\n");
        assert_eq!(
            got,
            vec![("config.pip.password".to_owned(), "Fig9".to_owned())]
        );
    }

    #[test]
    fn recognised_by_content_without_a_path() {
        let text = "<?xml version=\"1.0\"?>\n<FileZilla3>\n<Servers><Server><Pass encoding=\"base64\">cGFzczEyMzQ=</Pass></Server></Servers>\n";
        let got = found("", text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "config.filezilla.password");
        assert!(found("", "just text with password=Hello1234\n").is_empty());
        let got = found("", "CREATE USER bob IDENTIFIED BY 'Tiger77';\n");
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn cli_rule_examples_are_found_and_negatives_are_not() {
        let spec = cli_rule_spec();
        for e in &spec.examples {
            let got = found("deploy.sh", e);
            assert!(got.iter().any(|(r, _)| r == CLI_RULE), "{e}: {got:?}");
        }
        for n in &spec.negative_examples {
            assert!(found("deploy.sh", n).is_empty(), "{n}");
        }
    }

    #[test]
    fn inline_allow_is_honoured() {
        assert!(found(".env", "DB_PASSWORD=Rowan2023 # keytrace:allow\n").is_empty());
    }

    #[test]
    fn code_expressions_are_not_literals() {
        assert!(found("settings.py", "PASSWORD = 'abc%s' % x\n").is_empty());
        assert!(found(
            "settings.py",
            "'PASSWORD': os.environ.get('DB_PASSWORD', 'dev'),\n"
        )
        .is_empty());
        assert!(found("settings.py", "if password == 'Sunny2024':\n").is_empty());
    }

    #[test]
    fn escaped_documents_are_judged_by_their_literal_name() {
        let header = "{\n  \"headers\": {\n    \"Apitoken\": \"{\\\"name\\\":\\\"ops\\\",\\\"sig\\\":\\\"9f2c1e7a5b3d48c0a1e2f3b4c5d6e7f8\\\"}\"\n  }\n}\n";
        let got = found("docs/api/users.json", header);
        assert_eq!(
            got,
            [(
                "config.json.token".to_owned(),
                "9f2c1e7a5b3d48c0a1e2f3b4c5d6e7f8".to_owned()
            )]
        );
        // The same digest under a name that says nothing is a checksum, not a token.
        let body =
            "{\"RequestBody\": \"{\\\"sha\\\":\\\"9f2c1e7a5b3d48c0a1e2f3b4c5d6e7f8\\\"}\"}\n";
        assert!(found("docs/api/users.json", body).is_empty());
    }

    #[test]
    fn json_web_keys_are_read_in_json_files() {
        let jwk = "[\n  {\"kty\": \"EC\", \"crv\": \"P-256\",\n   \"d\": \"QbywrdNmVBkcPvu20pXkbtQCtTTobjnCYGlidcNxVhs\"}\n]\n";
        let got = found("test/ec.json", jwk);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, "QbywrdNmVBkcPvu20pXkbtQCtTTobjnCYGlidcNxVhs");
    }

    #[test]
    fn a_signing_setting_beside_a_token_is_not_ciphertext() {
        let signed = "sign({\n  oauth_signature_method: 'HMAC-SHA1',\n  oauth_token: 'Qm7xT2kLp9Wz4Rb8Nv1Yc6Hd3',\n})\n";
        assert_eq!(found("test/oauth.js", signed).len(), 1);
        // A signature value beside it, or an encrypted block above it, still is.
        let beside = "sign({\n  oauth_signature: 'wX2pL9qR7tZ4mB8nC1vK6yH3',\n  oauth_token: 'Qm7xT2kLp9Wz4Rb8Nv1Yc6Hd3',\n})\n";
        assert!(found("test/oauth.js", beside).is_empty());
        let block = "encrypted:\n  api_token: Qm7xT2kLp9Wz4Rb8Nv1Yc6Hd3\n";
        assert!(found("config/app.yml", block).is_empty());
    }
}
