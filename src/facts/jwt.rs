//! JSON Web Tokens (Supabase, Firebase and other JWT-shaped keys included): the claims
//! that name the issuer, the subject, the audience, the scopes and the lifetime, read
//! without verifying the signature (we judge the token, we do not trust it).
//!
//! Source: RFC 7519 (JWT: `iss`, `sub`, `aud`, `exp`, `iat`, NumericDate in seconds),
//! RFC 7515 (JWS compact form, base64url without padding), RFC 8693 section 4.2 (`scope`,
//! space-separated) and RFC 9068 (`scope`, `roles`); Microsoft's `scp` and `roles`;
//! Supabase's `role` claim (`anon`, `authenticated`, `service_role`).

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde_json::Value;

use super::{Facts, Privilege};
use crate::date::Date;

/// base64url, padding optional (RFC 7515 says none; some issuers add it).
const B64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A NumericDate (seconds since the epoch, UTC) as RFC 3339.
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let s = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_days(days),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn string_or_list(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Array(a) => {
            let parts: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join(","))
        }
        _ => None,
    }
}

fn numeric_date(v: Option<&Value>) -> Option<String> {
    let secs = match v? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?,
        _ => return None,
    };
    // Dates past year 9999 are not dates anyone set on purpose.
    (0..253_402_300_800).contains(&secs).then(|| rfc3339(secs))
}

/// The claims of a compact JWS (`header.payload.signature`), if `token` is one whose
/// header names an `alg` and whose payload is a JSON object.
pub fn extract(token: &str) -> Option<Facts> {
    let mut parts = token.split('.');
    let (h, p) = (parts.next()?, parts.next()?);
    // JWS has three parts; a JWE (five) is encrypted and says nothing readable.
    parts.next()?;
    if parts.next().is_some() || !h.starts_with("eyJ") {
        return None;
    }
    let header: Value = serde_json::from_slice(&B64URL.decode(h).ok()?).ok()?;
    header.get("alg")?;
    let claims: Value = serde_json::from_slice(&B64URL.decode(p).ok()?).ok()?;
    let c = claims.as_object()?;
    let role = c.get("role").and_then(Value::as_str);
    let scope = string_or_list(c.get("scope"))
        .or_else(|| string_or_list(c.get("scp")))
        .or_else(|| string_or_list(c.get("roles")))
        .or_else(|| role.map(str::to_owned));
    let privilege = match role {
        Some("service_role") => Some(Privilege::Broad),
        Some("anon") => Some(Privilege::Narrow),
        Some("authenticated") => Some(Privilege::User),
        _ => None,
    };
    let kid = header.get("kid").and_then(Value::as_str).map(str::to_owned);
    Some(Facts {
        kind: Some("jwt".to_owned()),
        issuer: string_or_list(c.get("iss")),
        principal: string_or_list(c.get("sub")).or_else(|| string_or_list(c.get("email"))),
        audience: string_or_list(c.get("aud")),
        scope,
        privilege,
        issued: numeric_date(c.get("iat")),
        expires: numeric_date(c.get("exp")),
        key_id: kid,
        // Supabase puts the project ref in `ref`.
        project: string_or_list(c.get("ref")),
        ..Facts::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(header: &str, claims: &str) -> String {
        let e = |s: &str| B64URL.encode(s).trim_end_matches('=').to_owned();
        format!("{}.{}.c2lnbmF0dXJl", e(header), e(claims))
    }

    #[test]
    fn claims_are_read_without_verification() {
        let t = jwt(
            r#"{"alg":"RS256","kid":"k1"}"#,
            r#"{"iss":"https://issuer.example","sub":"svc-deployer","aud":["api","web"],
                "iat":1700000000,"exp":1700003600,"scope":"repo:read repo:write"}"#,
        );
        let f = extract(&t).unwrap();
        assert_eq!(f.issuer.as_deref(), Some("https://issuer.example"));
        assert_eq!(f.principal.as_deref(), Some("svc-deployer"));
        assert_eq!(f.audience.as_deref(), Some("api,web"));
        assert_eq!(f.scope.as_deref(), Some("repo:read repo:write"));
        assert_eq!(f.issued.as_deref(), Some("2023-11-14T22:13:20Z"));
        assert_eq!(f.expires.as_deref(), Some("2023-11-14T23:13:20Z"));
        assert_eq!(f.key_id.as_deref(), Some("k1"));
        assert!(f.expired(Date::new(2026, 1, 1).unwrap()));
    }

    #[test]
    fn supabase_roles_set_the_privilege() {
        let t = jwt(
            r#"{"alg":"HS256","typ":"JWT"}"#,
            r#"{"iss":"supabase","ref":"abcdefghijklmnop","role":"service_role","exp":4102444800}"#,
        );
        let f = extract(&t).unwrap();
        assert_eq!(f.privilege, Some(Privilege::Broad));
        assert_eq!(f.project.as_deref(), Some("abcdefghijklmnop"));
        assert_eq!(f.expires.as_deref(), Some("2100-01-01T00:00:00Z"));
        assert!(!f.expired(Date::new(2026, 1, 1).unwrap()));
    }

    #[test]
    fn not_a_jwt() {
        assert_eq!(extract("eyJhbGciOiJIUzI1NiJ9"), None);
        assert_eq!(extract("abc.def.ghi"), None);
        let payload_not_object = jwt(r#"{"alg":"none"}"#, "42");
        assert_eq!(extract(&payload_not_object), None);
    }
}
