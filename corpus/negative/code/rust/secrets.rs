use secrecy::{ExposeSecret, SecretString};
use std::env;

pub const ENV_API_TOKEN: &str = "API_TOKEN";
pub const TOKEN_TYPE_BEARER: &str = "Bearer";
pub const PASSWORD_RESET_TOKEN_TTL_SECS: u64 = 3600;

#[derive(serde::Deserialize)]
pub struct DbConfig {
    pub user: String,
    #[serde(default)]
    pub password: Option<SecretString>,
}

pub fn api_token() -> Result<SecretString, env::VarError> {
    Ok(SecretString::from(env::var(ENV_API_TOKEN)?))
}

pub fn password_from_stdin() -> std::io::Result<String> {
    rpassword::prompt_password("Password: ")
}

pub fn redact(secret: &SecretString) -> String {
    let s = secret.expose_secret();
    format!("{}…({} bytes)", &s[..s.len().min(4)], s.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn token_is_not_printed_in_debug() {}
    #[test]
    fn password_hash_uses_argon2id() {}
    #[test]
    fn rejects_api_key_with_wrong_prefix() {}
}
