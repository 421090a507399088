//! Which format a file is: by its exact name and folder, by the shape of its name and its
//! extension, or, where the name says nothing, by a signature in its first bytes. The
//! formats themselves are data in `formats`.

/// The format a path is recognised as, by the names and places the tools document.
pub(super) fn format_for_path(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let lower = lower.replace('\\', "/");
    let base = lower.rsplit('/').next().unwrap_or(&lower);
    let parent = lower.rsplit('/').nth(1).unwrap_or("");
    format_by_name(base, parent).or_else(|| format_by_pattern(&lower, base, parent))
}

/// The format of a file by its exact name (and, for generic names, its folder).
fn format_by_name(base: &str, parent: &str) -> Option<&'static str> {
    let slug = match base {
        ".netrc" | "_netrc" | "netrc" => "netrc",
        ".pgpass" | "pgpass.conf" | "pgpass" => "pgpass",
        ".my.cnf" | "my.cnf" | "my.ini" | "my-default.ini" | "mysql.cnf" | "client.cnf"
        | "mysqld.cnf" | "debian.cnf" => "mysql",
        ".git-credentials" | "git-credentials" => "git-credentials",
        ".npmrc" | "npmrc" => "npmrc",
        ".yarnrc.yml" | ".yarnrc.yaml" | ".yarnrc" => "yarnrc",
        ".pypirc" | "pypirc" => "pypirc",
        "pip.conf" | "pip.ini" => "pip",
        ".dockercfg" => "docker",
        "config.json" if parent == ".docker" || parent == "docker" => "docker",
        ".s3cfg" | "s3cfg" => "s3cfg",
        ".boto" | "boto.cfg" => "boto",
        "credentials" | "config" if parent == ".aws" => "aws",
        "rclone.conf" => "rclone",
        "sitemanager.xml" | "recentservers.xml" | "filezilla.xml" => "filezilla",
        "winscp.ini" => "winscp",
        "sftp-config.json" | "sftp-settings.json" | ".ftpconfig" | ".remote-sync.json"
        | "ftp-config.json" => "sftp-config",
        "sftp.json" if parent == ".vscode" => "sftp-config",
        "settings.py" | "local_settings.py" | "production.py" | "settings_local.py"
        | "prod_settings.py" | "secrets.py"
            if base.starts_with("settings")
                || base.ends_with("settings.py")
                || parent == "settings"
                || base == "secrets.py" =>
        {
            "django"
        }
        "database.yml" | "secrets.yml" | "secrets.yaml" | "storage.yml" | "cable.yml" => "rails",
        "master.key" if parent == "config" || parent == "credentials" => "rails-master-key",
        "wp-config.php" | "wp-config-local.php" | "wp-config-sample.php" => "wordpress",
        "config.inc.php" => "phpmyadmin",
        "settings.php" | "settings.local.php" | "configuration.php" | "localsettings.php"
        | "config.php" | "database.php" | "db.php" | "parameters.php" | "local.php" | "env.php" => {
            "php"
        }
        "parameters.yml" | "parameters.yaml" | "parameters.yml.dist" => "symfony",
        "hibernate.cfg.xml" | "hibernate.properties" | "persistence.xml" => "hibernate",
        "tomcat-users.xml" | "context.xml" | "server.xml" | "standalone.xml" | "domain.xml" => {
            "tomcat"
        }
        "settings.xml" | "settings-security.xml"
            if parent == ".m2" || parent == "conf" || base.starts_with("settings") =>
        {
            "maven"
        }
        "gradle.properties" => "gradle",
        "nuget.config" => "nuget",
        "web.config"
        | "app.config"
        | "machine.config"
        | "connectionstrings.config"
        | "appsettings.config" => "dotnet",
        "credentials.xml" => "jenkins",
        "redis.conf" | "sentinel.conf" | "redis-sentinel.conf" | "keydb.conf" | "valkey.conf" => {
            "redis"
        }
        "userlist.txt" => "pgbouncer",
        "odbc.ini" | ".odbc.ini" | "odbcinst.ini" => "odbc",
        ".bashrc" | ".bash_profile" | ".profile" | ".zshrc" | ".zshenv" | ".zprofile"
        | ".kshrc" | ".envrc" | ".bash_login" | "bashrc" | "zshrc" => "shell",
        ".htpasswd" | "htpasswd" | ".htpasswd.txt" => "htpasswd",
        "credentials.toml" | "credentials" if parent == ".cargo" => "cargo",
        "hosts.yml" if parent == "gh" => "gh",
        "hub" if parent == ".config" => "gh",
        ".vault-token" => "vault-token",
        _ => "",
    };
    (!slug.is_empty()).then_some(slug)
}

/// The format of a file by the shape of its name, its extension and its folders
/// (`lower`: the whole path, lowercased, `/`-separated).
fn format_by_pattern(lower: &str, base: &str, parent: &str) -> Option<&'static str> {
    let in_dir = |d: &str| {
        lower.contains(&format!("{d}/"))
            && (lower.starts_with(d) || lower.contains(&format!("/{d}/")))
    };
    let ext = base.rsplit_once('.').map_or("", |(_, e)| e);
    // Names by pattern rather than exact.
    if base == ".env" || base.starts_with(".env.") || ext == "env" || base == "env" {
        if base.ends_with(".example")
            || base.ends_with(".sample")
            || base.ends_with(".template")
            || base.ends_with(".dist")
            || base.ends_with(".tpl")
        {
            return Some("env"); // placeholders are filtered by value, not skipped by name
        }
        return Some("env");
    }
    if (base.starts_with("docker-compose") || base.starts_with("compose."))
        && (ext == "yml" || ext == "yaml")
    {
        return Some("compose");
    }
    if (base.starts_with("application") || base.starts_with("bootstrap"))
        && matches!(ext, "properties" | "yml" | "yaml")
    {
        return Some("spring");
    }
    if base.starts_with("appsettings") && ext == "json" {
        return Some("appsettings");
    }
    if base.ends_with(".exe.config") || base.ends_with(".dll.config") {
        return Some("dotnet");
    }
    if base.ends_with(".cnf") && lower.contains("mysql") {
        return Some("mysql");
    }
    if parent == "settings" && ext == "py" {
        return Some("django");
    }
    if in_dir("group_vars") || in_dir("host_vars") {
        return Some("ansible");
    }
    if matches!(ext, "tfvars") || base.ends_with(".auto.tfvars") {
        return Some("terraform");
    }
    if ext == "sql" {
        return Some("sql");
    }
    if ext == "htpasswd" {
        return Some("htpasswd");
    }
    // Translations say "password" in every language: not credentials.
    let translations = [
        "locale",
        "i18n",
        "l10n",
        "lang/",
        "translations",
        "messages",
    ]
    .iter()
    .any(|d| lower.contains(d));
    if translations {
        return None;
    }
    if matches!(ext, "md" | "markdown" | "rst" | "adoc") {
        return Some("docs");
    }
    // Notes people keep in plain text; `Dockerfile`, `Makefile` and scripts without an
    // extension are read the same way (their `NAME=value` pairs are pairs too).
    if ext == "txt" || !base.contains('.') {
        return Some("notes");
    }
    if SOURCE_EXTENSIONS.contains(&ext) {
        return Some("source");
    }
    if matches!(
        ext,
        "ini" | "cfg" | "conf" | "cnf" | "properties" | "yml" | "yaml" | "toml"
    ) {
        return Some("generic");
    }
    // JSON is data as often as configuration: only names that say configuration.
    let config_name = [
        "config",
        "setting",
        "secret",
        "credential",
        "env",
        "auth",
        "local",
        "default",
        "prod",
        "dev",
        "stag",
    ]
    .iter()
    .any(|w| base.contains(w));
    if ext == "json" && config_name && !base.contains("lock") && !base.starts_with("package") {
        return Some("json");
    }
    if matches!(ext, "xml" | "config") {
        return Some("xml");
    }
    None
}

/// Extensions of source files: their string literals are read for passwords.
const SOURCE_EXTENSIONS: &[&str] = &[
    "go", "py", "js", "jsx", "mjs", "cjs", "ts", "tsx", "rb", "java", "kt", "kts", "scala",
    "groovy", "gradle", "cs", "vb", "fs", "swift", "rs", "c", "cc", "cpp", "h", "hpp", "m", "php",
    "pl", "pm", "lua", "dart", "ex", "exs", "erl", "clj", "r", "jl", "ps1", "psm1",
];

/// Signatures of formats recognised by content (a path is unknown or says nothing): the
/// text a file of that format carries near its top, and the format.
pub(super) const SIGNATURES: &[(&str, &str)] = &[
    ("<FileZilla3", "filezilla"),
    ("<tomcat-users", "tomcat"),
    ("<packageSourceCredentials>", "nuget"),
    ("<connectionStrings>", "dotnet"),
    ("<hibernate-configuration", "hibernate"),
    ("com.cloudbees.plugins.credentials", "jenkins"),
    ("[Sessions\\", "winscp"),
    ("'DB_PASSWORD'", "wordpress"),
    ("\"DB_PASSWORD\"", "wordpress"),
    ("$cfg['Servers']", "phpmyadmin"),
    ("\"ConnectionStrings\"", "appsettings"),
    ("spring.datasource.", "spring"),
    ("<servers>", "maven"),
];

/// Signatures only for inputs without a path (history blobs, stdin), where a name cannot
/// tell; in a named file they would fire on documentation too.
pub(super) const PATHLESS_SIGNATURES: &[(&str, &str)] = &[
    ("IDENTIFIED BY", "sql"),
    ("identified by", "sql"),
    ("DATABASES = {", "django"),
    ("requirepass ", "redis"),
];
