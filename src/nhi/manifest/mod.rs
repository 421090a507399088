//! The NHI manifest (`.keytrace/identities.toml`): parsing, validation and merging.
//!
//! Every problem is reported with the file, the line and the field, and all problems of a
//! file are collected (not only the first) so `keytrace nhi check` can list them at once.
//! The manifest must never hold a secret: its text runs through the rule pack, and a match
//! is an error. Public key ids (`key_ids`, such as an AWS access key id) and fingerprints
//! are identifiers, not secrets, and are exempt, but a `key_ids` value that looks like a
//! real secret (a token with a known prefix) is still rejected.
//!
//! `model` holds the validated types, `schema` the TOML as written, `lint` the parser and
//! its checks, `merge` the reading and merging of several files.

mod lint;
mod merge;
mod model;
mod schema;

pub use lint::{is_public_id_rule, parse_manifest, Scanner};
pub use merge::{load_manifests, merge};
pub use model::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ManifestScanner;
    use crate::engine::Engine;
    use crate::matcher::MatchOptions;
    use crate::rules::RulePack;

    fn engine() -> Engine {
        Engine::new(
            RulePack::builtin(),
            MatchOptions::default(),
            None,
            Vec::new(),
        )
        .unwrap()
    }

    const GOOD: &str = r#"version = 1
[defaults]
review_interval_days = 30

[[identity]]
id = "payments-ci"
kind = "ci-identity"
owner = "group:payments"
purpose = "Deploys payments-api"
review = { last_reviewed = 2026-10-01, reviewed_by = "@alice" }
  [[identity.credential]]
  name = "deploy"
  match = { rules = ["aws."], paths = ["deploy/**", "!deploy/test/**"], key_ids = ["AKIAIOSFODNN7EXAMPL3"] }  # keytrace:allow
  rotation = { period_days = 60, last_rotated = "2026-09-01", runbook = "https://wiki.example/rotate" }
"#;

    fn errors(text: &str) -> Vec<String> {
        parse_manifest("m.toml", text, Some(&ManifestScanner(&engine())))
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn parses_a_good_manifest() {
        let m = parse_manifest("m.toml", GOOD, Some(&ManifestScanner(&engine()))).unwrap();
        let merged = merge(vec![("m.toml".into(), m)]);
        let i = &merged.identities[0];
        assert_eq!(i.id, "payments-ci");
        assert_eq!(i.line, 5);
        assert_eq!(i.status, "active");
        assert_eq!(i.review.interval_days, 30);
        assert_eq!(i.review_due().unwrap().to_string(), "2026-10-31");
        let c = &i.credentials[0];
        assert_eq!(c.rotation.period_days, 60);
        assert_eq!(c.rotation_due().unwrap().to_string(), "2026-10-31");
        assert!(c.selector.paths.matches("deploy/prod/a.env"));
        assert!(c.selector.paths.matches("./deploy/a.env"));
        assert!(!c.selector.paths.matches("deploy/test/a.env"));
        assert!(!c.selector.paths.matches("src/deploy.rs"));
    }

    #[test]
    fn gitignore_patterns() {
        let p =
            PathPatterns::new(&["*.env".into(), "/config/*".into(), "secrets/".into()]).unwrap();
        assert!(p.matches("a/b/prod.env"));
        assert!(p.matches("config/x.yml"));
        assert!(!p.matches("a/config/x.yml"));
        assert!(p.matches("config/sub/x.yml")); // below a matching directory
        assert!(p.matches("x/secrets/y"));
        assert!(!p.matches("secrets"));
        // Issue 11: `*` stays within a directory, `**` crosses.
        let p = PathPatterns::new(&["ci/*.env".into(), "deploy/**/*.yml".into()]).unwrap();
        assert!(p.matches("ci/prod.env"));
        assert!(!p.matches("ci/jobs/prod.env"));
        assert!(p.matches("deploy/a.yml"));
        assert!(p.matches("deploy/eu/west/a.yml"));
        assert!(!p.matches("app/deploy/a.yml"));
    }

    #[test]
    fn each_error_names_file_line_and_field() {
        let text = "[[identity]]\nid = \"a\"\nkind = \"robot\"\nowner = \"x\"\npurpose = \"y\"\nreview = { last_reviewed = 2026-01-01 }\n[[identity]]\nid = \"a\"\nkind = \"bot\"\npurpose = \"y\"\nreview = { last_reviewed = \"01/02/2026\" }\n  [[identity.credential]]\n  match = { paths = [\"a/[\"] }\n";
        let e = errors(text);
        let all = e.join("\n");
        assert!(
            all.contains("m.toml, line 3: field `identity.kind`: unknown kind `robot`"),
            "{all}"
        );
        assert!(
            all.contains("line 8: field `identity.id`: duplicate id `a` (first defined on line 2)"),
            "{all}"
        );
        assert!(all.contains("field `identity.owner`: missing"), "{all}");
        assert!(
            all.contains("line 11: field `identity.review.last_reviewed`: expected a date"),
            "{all}"
        );
        assert!(
            all.contains("line 13: field `identity.credential.match.paths`: bad pattern"),
            "{all}"
        );
    }

    #[test]
    fn unknown_fields_and_bad_toml_dates() {
        let e = errors("[[identity]]\nid = \"a\"\nonwer = \"x\"\n").join("\n");
        assert!(e.contains("line 3") && e.contains("onwer"), "{e}");
        let e = errors("[[identity]]\nid = \"a\"\nexpires = 2026-13-01\n").join("\n");
        assert!(e.contains("line 3"), "{e}");
        let e = errors("[defaults]\nreview_interval_days = -1\n").join("\n");
        assert!(
            e.contains("line 2") && e.contains("review_interval_days"),
            "{e}"
        );
    }

    #[test]
    fn unknown_rule_selector() {
        let text = GOOD.replace("rules = [\"aws.\"]", "rules = [\"awz.\"]");
        let e = errors(&text).join("\n");
        assert!(
            e.contains("line 13") && e.contains("`awz.` is no rule"),
            "{e}"
        );
    }

    #[test]
    fn a_secret_in_the_manifest_is_rejected_but_key_ids_are_not() {
        let pat = format!("ghp_{}", "Zq8rT2mK9vX4pL7wN3bH6jF1cD5sA02Lr0ng");
        let text = GOOD.replace("Deploys payments-api", &format!("token {pat}"));
        let e = errors(&text).join("\n");
        assert!(
            e.contains("line 9") && e.contains("looks like a secret"),
            "{e}"
        );
        assert!(
            !e.contains(&pat),
            "the error must not print the secret: {e}"
        );
        let text = GOOD.replace("AKIAIOSFODNN7EXAMPL3", &pat); // keytrace:allow
        let e = errors(&text).join("\n");
        assert!(
            e.contains("line 13") && e.contains("key_ids") && !e.contains(&pat),
            "{e}"
        );
    }

    #[test]
    fn later_files_override_by_id() {
        let a = parse_manifest("a.toml", GOOD, None).unwrap();
        let b_text = GOOD
            .replace("group:payments", "group:platform")
            .replace("[defaults]\nreview_interval_days = 30\n", "");
        let b = parse_manifest("b.toml", &b_text, None).unwrap();
        let m = merge(vec![("a.toml".into(), a), ("b.toml".into(), b)]);
        assert_eq!(m.identities.len(), 1);
        assert_eq!(m.identities[0].owner, "group:platform");
        assert_eq!(m.identities[0].file, "b.toml");
        // b sets no defaults, so a's still apply
        assert_eq!(m.identities[0].review.interval_days, 30);
    }
}
