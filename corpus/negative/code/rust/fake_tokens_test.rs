//! Fake tokens are assembled at run time so that no literal token appears in the source.

fn fake(prefix: &str, body_len: usize) -> String {
    format!("{prefix}{}", "x".repeat(body_len))
}

#[test]
fn github_classic_shape() {
    let t = fake("ghp_", 36);
    assert_eq!(t.len(), 40);
}

#[test]
fn stripe_live_shape() {
    let t = fake(concat!("sk_", "live_"), 24);
    assert!(t.starts_with("sk_live_"));
}

#[test]
fn slack_webhook_shape() {
    let url = format!("https://hooks.slack.com/services/T{}/B{}/{}", "0".repeat(8), "0".repeat(8), "X".repeat(24));
    assert!(url.contains("/services/"));
}

#[test]
fn aws_pair_shape() {
    let id = ["AKIA", &"Q".repeat(16)].concat();
    let secret = "/".repeat(40);
    assert_eq!(id.len() + secret.len(), 60);
}

const TOKEN_PREFIXES: &[&str] = &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "sk_live_", "rk_live_", "whsec_", "npm_", "pypi-", "dckr_pat_", "hvs.", "shpat_"];
