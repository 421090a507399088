//! Connection strings and URLs around a password: who connects (user), where (host,
//! port) and to what (database, virtual host, storage account). The password itself is
//! never kept.
//!
//! Sources: RFC 3986 section 3.2 (URL authority: `user:password@host:port`); the
//! PostgreSQL manual, "Connection URIs" and "Keyword/Value Connection Strings" (libpq
//! 34.1.1); MySQL, MongoDB (`mongodb://`, `mongodb+srv://`), Redis (`redis://`, IANA
//! scheme registration) and AMQP 0-9-1 URI specification (RabbitMQ: the path is the
//! virtual host); .NET `SqlConnectionStringBuilder` and the ODBC `SQLDriverConnect`
//! attribute keywords (`Server`, `Data Source`, `Database`, `Initial Catalog`, `User
//! ID`, `UID`); Microsoft JDBC driver for SQL Server, "Building the connection URL";
//! Azure Storage, "Configure a connection string" (`AccountName`, `AccountKey`);
//! Azure Storage REST, "Create a service SAS" and "Create an account SAS" (`sv`, `ss`,
//! `srt`, `sr`, `sp`, `st`, `se`, `sig`); Azure Service Bus, "SAS authentication"
//! (`SharedAccessKeyName`, `RootManageSharedAccessKey`).

use std::sync::OnceLock;

use regex::Regex;

use super::{Context, Facts, Privilege};

fn url_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?i)\b([a-z][a-z0-9+.-]{1,30})://(?:([^\s/?#@"'<>]*)@)?(\[[0-9a-f:.]+\]|[^\s/?#:;,"'<>@\[\]]+)(?::(\d{1,5}))?(/[^\s?#;"'<>]*)?(\?[^\s#"'<>]*)?"#,
        )
        .expect("static regex")
    })
}

/// Schemes whose path names a database (or an AMQP virtual host).
const DB_SCHEMES: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongodb",
    "mongodb+srv",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "sqlserver",
    "oracle",
    "cockroachdb",
    "clickhouse",
];

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn is_password_key(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    k.contains("password")
        || k == "pwd"
        || k.contains("secret")
        || k.contains("key")
        || k == "sig"
        || k.contains("token")
}

/// The URL on the secret's line that holds the secret.
fn url_facts(line: &str, at: usize) -> Option<Facts> {
    let c = url_re()
        .captures_iter(line)
        .find(|c| c.get(0).is_some_and(|m| m.start() <= at && at < m.end()))?;
    let scheme = c[1].to_ascii_lowercase();
    let scheme = scheme.rsplit(':').next().unwrap_or(&scheme).to_owned();
    let mut f = Facts {
        host: Some(c[3].to_ascii_lowercase()),
        port: c.get(4).and_then(|p| p.as_str().parse().ok()),
        ..Facts::default()
    };
    if let Some(userinfo) = c.get(2) {
        // Only the part before the first `:` is the user; the rest is the password.
        let user = userinfo.as_str().split(':').next().unwrap_or_default();
        if !user.is_empty() {
            f.user = Some(percent_decode(user));
        }
    }
    let base = scheme.split('+').next().unwrap_or(&scheme);
    if DB_SCHEMES.contains(&scheme.as_str()) || DB_SCHEMES.contains(&base) {
        if let Some(path) = c.get(5) {
            let db = path.as_str().trim_start_matches('/');
            let db = db.split('/').next().unwrap_or_default();
            if !db.is_empty() {
                f.database = Some(percent_decode(db));
            }
        }
    }
    // JDBC and others put the user in the query.
    if let Some(q) = c.get(6) {
        for pair in q.as_str().trim_start_matches('?').split('&') {
            if let Some((k, v)) = pair.split_once('=') {
                let k = k.to_ascii_lowercase();
                if (k == "user" || k == "username") && f.user.is_none() {
                    f.user = Some(percent_decode(v));
                }
            }
        }
    }
    f.kind = Some(format!("{scheme}-url"));
    Some(f)
}

/// `key=value` pairs of an ADO.NET/ODBC/JDBC/libpq/Azure connection string on the line.
fn pairs(line: &str) -> Vec<(String, String)> {
    let sep: &[char] = if line.contains(';') {
        &[';']
    } else {
        &[' ', '\t']
    };
    line.split(sep)
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            let k = k
                .trim()
                .trim_matches(|c: char| !c.is_alphanumeric() && c != ' ');
            let v = v
                .trim()
                .trim_matches(|c| c == '"' || c == '\'' || c == '{' || c == '}');
            (!k.is_empty() && !v.is_empty()).then(|| (k.to_ascii_lowercase(), v.to_owned()))
        })
        .collect()
}

fn split_host_port(v: &str) -> (String, Option<u16>) {
    // SQL Server writes `tcp:host,1433`; others `host:port`.
    let v = v.strip_prefix("tcp:").unwrap_or(v);
    if let Some((h, p)) = v.rsplit_once(',').or_else(|| v.rsplit_once(':')) {
        if let Ok(port) = p.trim().parse() {
            return (h.trim().to_ascii_lowercase(), Some(port));
        }
    }
    (v.trim().to_ascii_lowercase(), None)
}

fn conn_string_facts(line: &str) -> Option<Facts> {
    let mut f = Facts::default();
    for (k, v) in pairs(line) {
        if is_password_key(&k) && k != "sharedaccesskeyname" {
            continue;
        }
        match k.as_str() {
            "server" | "data source" | "host" | "hostname" | "address" | "addr"
            | "network address" | "hostaddr" | "servername" => {
                let (h, p) = split_host_port(&v);
                f.host.get_or_insert(h);
                if p.is_some() {
                    f.port = f.port.or(p);
                }
            }
            "port" => f.port = f.port.or(v.parse().ok()),
            "database" | "initial catalog" | "dbname" | "databasename" => {
                f.database.get_or_insert(v);
            }
            "user id" | "uid" | "user" | "username" | "user name" => {
                f.user.get_or_insert(v);
            }
            "accountname" => {
                f.account = Some(v);
                f.kind = Some("azure-storage-connection-string".to_owned());
                // An account key opens the whole storage account.
                f.privilege = Some(Privilege::Broad);
            }
            "sharedaccesskeyname" => {
                if v == "RootManageSharedAccessKey" {
                    f.privilege = Some(Privilege::Broad);
                }
                f.principal = Some(v);
            }
            "endpoint" | "accountendpoint" => {
                if let Some(u) = url_facts(&v, 0) {
                    if let Some(h) = &u.host {
                        if h.ends_with(".documents.azure.com")
                            || h.ends_with(".servicebus.windows.net")
                        {
                            f.account = h.split('.').next().map(str::to_owned);
                        }
                    }
                    f.host = f.host.take().or(u.host);
                }
            }
            _ => {}
        }
    }
    let known = f.host.is_some() || f.user.is_some() || f.account.is_some() || f.database.is_some();
    known.then_some(f)
}

/// A SAS token's fields on the line, and the storage account of its URL.
fn sas_facts(line: &str) -> Option<Facts> {
    if !line.contains("sig=") || !line.contains("sv=") {
        return None;
    }
    let mut f = Facts {
        kind: Some("azure-sas-token".to_owned()),
        ..Facts::default()
    };
    let start = line.find("sv=")?;
    let query_start = line[..start]
        .rfind(['?', ' ', '"', '\'', '='])
        .map_or(0, |i| i + 1);
    let query = &line[query_start..];
    let query = query
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'')
        .next()?;
    let (mut ss, mut srt) = (None, None);
    for pair in query.split('&') {
        let Some((k, v)) = pair.split_once('=') else {
            continue;
        };
        let v = percent_decode(v);
        match k {
            "sp" => f.permissions = Some(v),
            "sr" => f.resource = Some(v),
            "ss" => ss = Some(v),
            "srt" => srt = Some(v),
            "se" => f.expires = Some(v),
            "st" => f.issued = Some(v),
            _ => {}
        }
    }
    if f.resource.is_none() {
        f.resource = match (ss, srt) {
            (Some(a), Some(b)) => Some(format!("services={a} types={b}")),
            (Some(a), None) => Some(format!("services={a}")),
            _ => None,
        };
    }
    // The account is the first label of the `*.core.windows.net` host, when written.
    if let Some(u) = url_facts(line, start) {
        if let Some(h) = u.host.filter(|h| h.contains(".core.windows.net")) {
            f.account = h.split('.').next().map(str::to_owned);
            f.host = Some(h);
        }
    }
    f.privilege = f.permissions.as_deref().map(|p| {
        if p.contains('w') && p.contains('d') {
            Privilege::Broad
        } else {
            Privilege::Narrow
        }
    });
    Some(f)
}

/// The facts of the connection string, URL or SAS token holding the secret.
pub fn extract(cx: &Context<'_>) -> Option<Facts> {
    let (line, at) = cx.line_at();
    if let Some(f) = sas_facts(line) {
        return Some(f);
    }
    if let Some(f) = url_facts(line, at) {
        if f.user.is_some() || f.database.is_some() {
            return Some(f);
        }
    }
    conn_string_facts(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(line: &str, secret: &str) -> Option<Facts> {
        let at = line.find(secret).unwrap();
        let cx = Context::new(line.as_bytes(), at, at + secret.len());
        let f = extract(&cx);
        if let Some(f) = &f {
            assert!(!f.summary().contains(secret), "secret in {f:?}");
        }
        f
    }

    #[test]
    fn urls_give_user_host_port_database() {
        let f = facts(
            "DATABASE_URL=postgres://app_rw:S3cr3tPassw0rd@db.internal:5433/payments?sslmode=require", // keytrace:allow
            "S3cr3tPassw0rd",
        )
        .unwrap();
        assert_eq!(f.user.as_deref(), Some("app_rw"));
        assert_eq!(f.host.as_deref(), Some("db.internal"));
        assert_eq!(f.port, Some(5433));
        assert_eq!(f.database.as_deref(), Some("payments"));
        let f = facts(
            "amqps://svc%40x:pw-0123456789@mq.example.com/vhost1", // keytrace:allow
            "pw-0123456789",
        )
        .unwrap();
        assert_eq!(f.user.as_deref(), Some("svc@x"));
        assert_eq!(f.database.as_deref(), Some("vhost1"));
        let f = facts(
            "url = jdbc:mysql://db.example.com:3306/shop?user=shop&password=Xy7-secret-99", // keytrace:allow
            "Xy7-secret-99",
        )
        .unwrap();
        assert_eq!(f.user.as_deref(), Some("shop"));
        assert_eq!(f.host.as_deref(), Some("db.example.com"));
        assert_eq!(f.database.as_deref(), Some("shop"));
    }

    #[test]
    fn ado_odbc_and_libpq_strings() {
        let f = facts(
            "Server=tcp:sql.example.net,1433;Initial Catalog=orders;User ID=orders_app;Password=Zq9!secretvalue;", // keytrace:allow
            "Zq9!secretvalue",
        )
        .unwrap();
        assert_eq!(f.host.as_deref(), Some("sql.example.net"));
        assert_eq!(f.port, Some(1433));
        assert_eq!(f.database.as_deref(), Some("orders"));
        assert_eq!(f.user.as_deref(), Some("orders_app"));
        let f = facts(
            "host=10.0.0.5 port=5432 dbname=ledger user=ledger password=hunter2hunter2", // keytrace:allow
            "hunter2hunter2",
        )
        .unwrap();
        assert_eq!(f.host.as_deref(), Some("10.0.0.5"));
        assert_eq!(f.user.as_deref(), Some("ledger"));
        assert_eq!(f.database.as_deref(), Some("ledger"));
    }

    #[test]
    fn azure_storage_and_sas() {
        let key = "a".repeat(86) + "==";
        let line = format!(
            "DefaultEndpointsProtocol=https;AccountName=paymentsstore;AccountKey={key};EndpointSuffix=core.windows.net"
        );
        let f = facts(&line, &key).unwrap();
        assert_eq!(f.account.as_deref(), Some("paymentsstore"));
        assert_eq!(f.privilege, Some(Privilege::Broad));
        let sig = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbA%3D";
        let line = format!(
            "https://paymentsstore.blob.core.windows.net/exports/a.csv?sv=2022-11-02&sr=b&sp=r&st=2024-01-01T00:00:00Z&se=2024-02-01T00:00:00Z&spr=https&sig={sig}"
        );
        let f = facts(&line, sig).unwrap();
        assert_eq!(f.account.as_deref(), Some("paymentsstore"));
        assert_eq!(f.permissions.as_deref(), Some("r"));
        assert_eq!(f.resource.as_deref(), Some("b"));
        assert_eq!(f.expires.as_deref(), Some("2024-02-01T00:00:00Z"));
        assert_eq!(f.privilege, Some(Privilege::Narrow));
    }
}
