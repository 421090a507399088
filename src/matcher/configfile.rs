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

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::filters::shannon_entropy;
use super::RawMatch;
use crate::rules::{CredentialKind, Origin, Rule, RulePack, RuleSpec, Severity};

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Password,
    Token,
}

/// How a format is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// `.netrc`: whitespace-separated tokens, `password` followed by its value.
    Netrc,
    /// `.pgpass`: `host:port:database:user:password`, `\:` escapes.
    Pgpass,
    /// pgbouncer `userlist.txt`: `"user" "password"`.
    Userlist,
    /// `.htpasswd` with plain-text passwords (hashes are the htpasswd rules' job).
    Htpasswd,
    /// One URL per line with `user:password@` (`.git-credentials`).
    UrlLines,
    /// The whole file is one secret (`config/master.key`, `.vault-token`).
    WholeFile,
    /// SQL: `IDENTIFIED BY '...'`, `WITH PASSWORD '...'`, `PASSWORD = '...'`.
    Sql,
    /// One `name = value` / `name: value` / `export NAME=value` per line, the value
    /// running to the end of the line (INI, env, shell, properties, YAML, TOML).
    Lines,
    /// `Lines`, and also `name value` separated by blanks (redis.conf).
    SpaceLines,
    /// String literals assigned in code or data (JSON, PHP, Python, HCL) and XML elements
    /// and attributes: only quoted values count, a bare word is an expression.
    Code,
}

/// One recognised format.
struct Format {
    /// Rule id part: `config.<slug>.password`.
    slug: &'static str,
    /// Human name, for rule names.
    name: &'static str,
    /// Provider slug for rotation guidance.
    provider: &'static str,
    syntax: Syntax,
    /// Field names (normalised: lowercase, `_` separated) this format uses for passwords
    /// beyond the general vocabulary.
    passwords: &'static [&'static str],
    /// Field names this format uses for tokens and secret keys.
    tokens: &'static [&'static str],
    /// Whether the general vocabulary of password and token names applies.
    general: bool,
    /// Where the tool documents the file.
    reference: &'static str,
    /// Examples for the password rule (each yields a finding at the format's first path).
    examples: &'static [&'static str],
    /// Examples for the token rule (empty: the format has no token rule).
    token_examples: &'static [&'static str],
    /// Texts that must not yield a finding.
    negatives: &'static [&'static str],
    /// A path this format is recognised at, where the unit tests run its examples.
    #[cfg_attr(not(test), allow(dead_code))]
    sample_path: &'static str,
}

const NONE: &[&str] = &[];

/// The formats, from the tools' own documentation of where they keep credentials.
static FORMATS: &[Format] = &[
    Format {
        slug: "netrc",
        name: ".netrc / _netrc",
        provider: "netrc",
        syntax: Syntax::Netrc,
        passwords: NONE,
        tokens: NONE,
        general: false,
        reference: "https://www.gnu.org/software/inetutils/manual/html_node/The-_002enetrc-file.html",
        examples: &["machine ftp.corp.lan login deploy password Sunny2024", "machine a.lan\n  login bob\n  password \"w1nter!\"\n"],
        token_examples: NONE,
        negatives: &["machine a.lan login bob password ${NETRC_PASS}", "machine a.lan login anonymous"],
        sample_path: ".netrc",
    },
    Format {
        slug: "pgpass",
        name: "PostgreSQL .pgpass",
        provider: "postgres",
        syntax: Syntax::Pgpass,
        passwords: NONE,
        tokens: NONE,
        general: false,
        reference: "https://www.postgresql.org/docs/current/libpq-pgpass.html",
        examples: &["db.corp.lan:5432:app:app_rw:Tulip77", "*:*:*:report:s\\:x9k"],
        token_examples: NONE,
        negatives: &["# hostname:port:database:username:password", "localhost:5432:*:postgres:"],
        sample_path: ".pgpass",
    },
    Format {
        slug: "mysql",
        name: "MySQL option file (.my.cnf / my.ini)",
        provider: "mysql",
        syntax: Syntax::Lines,
        passwords: &["pass"],
        tokens: NONE,
        general: true,
        reference: "https://dev.mysql.com/doc/refman/8.0/en/option-files.html",
        examples: &["[client]\nuser=backup\npassword=Orchid42\n", "[mysqldump]\npassword = \"kq-81;zz\"\n"],
        token_examples: NONE,
        negatives: &["[client]\npassword=\n", "[client]\npassword = your_password\n"],
        sample_path: ".my.cnf",
    },
    Format {
        slug: "git-credentials",
        name: "git credential store (.git-credentials)",
        provider: "gitcredentials",
        syntax: Syntax::UrlLines,
        passwords: NONE,
        tokens: NONE,
        general: false,
        reference: "https://git-scm.com/docs/git-credential-store#_storage_format",
        examples: &["https://alice:Garden12@git.corp.lan", "http://ci:pw-2024@10.0.0.7:3000"],
        token_examples: NONE,
        negatives: &["https://git.corp.lan", "https://user:${TOKEN}@git.lan"],
        sample_path: ".git-credentials",
    },
    Format {
        slug: "npmrc",
        name: "npm .npmrc",
        provider: "npmrc",
        syntax: Syntax::Lines,
        passwords: &["_password", "_auth", "password"],
        tokens: &["_authtoken"],
        general: false,
        reference: "https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration",
        examples: &["//nexus.lan/repository/npm/:_password=cGFzczEy", "_auth=Ym9iOmh1bnRlcjI="],
        token_examples: &["//registry.npmjs.org/:_authToken=abcd1234efgh5678", "//npm.corp.lan/:_authToken=\"Zz9-Kk3_Pp7\""],
        negatives: &["//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "registry=https://registry.npmjs.org/"],
        sample_path: ".npmrc",
    },
    Format {
        slug: "yarnrc",
        name: "Yarn .yarnrc.yml",
        provider: "npmrc",
        syntax: Syntax::Lines,
        passwords: &["npmauthident", "npmpassword"],
        tokens: &["npmauthtoken"],
        general: false,
        reference: "https://yarnpkg.com/configuration/yarnrc#npmAuthToken",
        examples: &["npmAuthIdent: \"deploy:Maple88\"", "npmRegistries:\n  \"//npm.lan\":\n    npmAuthIdent: ci:Birch2020\n"],
        token_examples: &["npmAuthToken: npm-tok-8842fa", "    npmAuthToken: \"0a9b8c7d6e5f\""],
        negatives: &["npmAuthToken: \"${NPM_AUTH_TOKEN-}\"", "npmAlwaysAuth: true"],
        sample_path: ".yarnrc.yml",
    },
    Format {
        slug: "pypirc",
        name: "Python .pypirc",
        provider: "pypirc",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://packaging.python.org/en/latest/specifications/pypirc/",
        examples: &["[pypi]\nusername = bob\npassword = Cedar99\n", "[internal]\nrepository = https://pypi.lan\npassword: rk4-Lm\n"],
        token_examples: NONE,
        negatives: &["[pypi]\npassword = %(PYPI_PASSWORD)s\n", "[pypi]\nusername = __token__\n"],
        sample_path: ".pypirc",
    },
    Format {
        slug: "pip",
        name: "pip configuration (pip.conf / pip.ini)",
        provider: "basicauth",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://pip.pypa.io/en/stable/topics/configuration/",
        examples: &["[global]\nindex-url = https://ci:Aspen31@pypi.corp.lan/simple\n", "extra-index-url = http://bob:pw1234@10.1.1.1/simple"],
        token_examples: NONE,
        negatives: &["[global]\nindex-url = https://pypi.org/simple\n", "index-url = https://${USER}:${PASS}@pypi.lan/simple"],
        sample_path: "pip.conf",
    },
    Format {
        slug: "docker",
        name: "Docker client config.json",
        provider: "docker",
        syntax: Syntax::Code,
        passwords: &["auth", "password"],
        tokens: &["identitytoken", "registrytoken"],
        general: false,
        reference: "https://docs.docker.com/reference/cli/docker/login/",
        examples: &["{\"auths\": {\"registry.lan\": {\"auth\": \"Ym9iOnB3MTIzNA==\"}}}", "\"password\": \"Spruce12\""],
        token_examples: &["\"identitytoken\": \"3f9a1c2b7d8e\"", "{\"registrytoken\": \"rt-99ab77cd\"}"],
        negatives: &["{\"auths\": {\"registry.lan\": {}}}", "\"auth\": \"\""],
        sample_path: ".docker/config.json",
    },
    Format {
        slug: "s3cfg",
        name: "s3cmd .s3cfg",
        provider: "aws",
        syntax: Syntax::Lines,
        passwords: &["gpg_passphrase", "proxy_password"],
        tokens: &["secret_key", "access_token"],
        general: false,
        reference: "https://s3tools.org/kb/item14.htm",
        examples: &["gpg_passphrase = Walnut55", "[default]\nproxy_password = p-0x91\n"],
        token_examples: &["secret_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "[default]\nsecret_key = 9f8e7d6c5b4a3210"],
        negatives: &["secret_key = ", "access_key = AKIAIOSFODNN7EXAMPLE"],
        sample_path: ".s3cfg",
    },
    Format {
        slug: "boto",
        name: "boto configuration (.boto)",
        provider: "aws",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: &["aws_secret_access_key", "gs_secret_access_key", "gs_oauth2_refresh_token"],
        general: true,
        reference: "https://cloud.google.com/storage/docs/boto-gsutil",
        examples: &["[Boto]\nproxy_pass = Hazel2019\n", "proxy_password = Hazel-2020"],
        token_examples: &["[Credentials]\naws_secret_access_key = kq8Lm2Np4Rs6Tu8Vw0Xy2Za4", "gs_oauth2_refresh_token = 1/fFAGRNJru1FTz70BzhT3Zg"],
        negatives: &["[Credentials]\naws_access_key_id = AKIA0000\n", "gs_secret_access_key ="],
        sample_path: ".boto",
    },
    Format {
        slug: "aws",
        name: "AWS CLI credentials / config",
        provider: "aws",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: &["aws_secret_access_key", "aws_session_token"],
        general: false,
        reference: "https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html",
        examples: NONE,
        token_examples: &["[default]\naws_secret_access_key = 9drTJvcXLB89KeyZ0/aBcDeFgHiJkLmNoPqRsTu\n", "aws_session_token=FwoGZXIvYXdzEJr//////////wEaDM9x"],
        negatives: &["[default]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\n", "aws_secret_access_key ="],
        sample_path: ".aws/credentials",
    },
    Format {
        slug: "rclone",
        name: "rclone.conf",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: &["pass", "password2"],
        tokens: &["secret_access_key", "client_secret", "key", "account_key"],
        general: true,
        reference: "https://rclone.org/docs/#config-config-file",
        examples: &["[ftp1]\ntype = ftp\nhost = ftp.lan\npass = Xy9_obscured-Q\n", "[s]\ntype = sftp\npassword2 = salt1234salt"],
        token_examples: &["[s3]\ntype = s3\nsecret_access_key = wJalrXUtnFEMIK7MDENGbPxRfiCY\n", "[b2]\ntype = b2\nkey = K001abcdEFGH1234ijkl\n"],
        negatives: &["[ftp1]\ntype = ftp\npass = \n", "[s3]\ntype = s3\nenv_auth = true\n"],
        sample_path: "rclone.conf",
    },
    Format {
        slug: "filezilla",
        name: "FileZilla sitemanager.xml / recentservers.xml",
        provider: "config",
        syntax: Syntax::Code,
        passwords: &["pass"],
        tokens: NONE,
        general: false,
        reference: "https://wiki.filezilla-project.org/Sitemanager.xml",
        examples: &["<Pass encoding=\"base64\">ZnRwUGFzczE=</Pass>", "<Server><Host>ftp.lan</Host><Pass>Poplar3</Pass></Server>"],
        token_examples: NONE,
        negatives: &["<Pass encoding=\"base64\" />", "<Host>ftp.lan</Host>"],
        sample_path: "sitemanager.xml",
    },
    Format {
        slug: "winscp",
        name: "WinSCP.ini",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: &["password", "proxypassword", "tunnelpassword"],
        tokens: NONE,
        general: false,
        reference: "https://winscp.net/eng/docs/ui_pref_storage",
        examples: &["[Sessions\\admin@host]\nHostName=host\nPassword=A35C4E5D6F1B2C3D6E\n", "ProxyPassword=A35C7755"],
        token_examples: NONE,
        negatives: &["[Sessions\\admin@host]\nHostName=host\n", "Password="],
        sample_path: "WinSCP.ini",
    },
    Format {
        slug: "sftp-config",
        name: "Sublime SFTP / VS Code SFTP / Atom remote-ftp config",
        provider: "config",
        syntax: Syntax::Code,
        passwords: &["pass"],
        tokens: NONE,
        general: true,
        reference: "https://codexns.io/products/sftp_for_subime/settings",
        examples: &["{\n  \"type\": \"sftp\",\n  \"password\": \"Linden07\",\n}", "\"pass\": \"ft-pw-22\""],
        token_examples: NONE,
        negatives: &["// \"password\": \"password\",", "\"password\": \"\""],
        sample_path: "sftp-config.json",
    },
    Format {
        slug: "django",
        name: "Django settings",
        provider: "config",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://docs.djangoproject.com/en/stable/ref/settings/#secret-key",
        examples: &["DATABASES = {'default': {'USER': 'app', 'PASSWORD': 'Willow8'}}", "EMAIL_HOST_PASSWORD = \"m41l-pw\""],
        token_examples: &["SECRET_KEY = 'django-insecure-8x$k2!p0q@w9z#r3t'", "SECRET_KEY = \"a8f3k2l9m0n1b2v3c4x5\""],
        negatives: &["SECRET_KEY = os.environ['SECRET_KEY']", "'PASSWORD': env('DB_PASSWORD'),"],
        sample_path: "settings.py",
    },
    Format {
        slug: "rails",
        name: "Rails database.yml / secrets.yml / master.key",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: &["secret_key_base"],
        general: true,
        reference: "https://guides.rubyonrails.org/configuring.html#configuring-a-database",
        examples: &["production:\n  adapter: postgresql\n  password: Magnolia5\n", "  password: 'r41ls-db'"],
        token_examples: &["production:\n  secret_key_base: 4f2a9c8e1b7d3f6a0e5c\n", "secret_key_base: 8c1e3a5b7d9f0a2c4e6b"],
        negatives: &["  password: <%= ENV['DB_PASSWORD'] %>", "  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>"],
        sample_path: "config/database.yml",
    },
    Format {
        slug: "rails-master-key",
        name: "Rails master.key",
        provider: "config",
        syntax: Syntax::WholeFile,
        passwords: NONE,
        tokens: NONE,
        general: false,
        reference: "https://guides.rubyonrails.org/security.html#custom-credentials",
        examples: NONE,
        token_examples: &["5f0a8c3e9b1d7f2a4c6e8b0d2f4a6c8e\n", "0123456789abcdef0123456789abcdef"],
        negatives: &["\n", "# no key"],
        sample_path: "config/master.key",
    },
    Format {
        slug: "env",
        name: "dotenv (.env) file",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://github.com/motdotla/dotenv#usage",
        examples: &["DB_PASSWORD=Rowan2023", "MAIL_PASSWORD=\"sm7p pw\""],
        token_examples: &["APP_KEY=base64:q2Vv7Lk9Hj3Fd5Sa1Zx8Cv6Bn4Mm0Pp=", "STRIPE_SECRET=sk-test-9a8b7c6d5e"],
        negatives: &["DB_PASSWORD=", "DB_PASSWORD=${DB_PASSWORD}"],
        sample_path: ".env",
    },
    Format {
        slug: "shell",
        name: "shell startup file (.bashrc, .profile, .envrc)",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://www.gnu.org/software/bash/manual/html_node/Bash-Startup-Files.html",
        examples: &["export PGPASS_WORD=x\nexport DB_PASSWORD=Hornbeam9", "export SMTP_PASSWORD='a b c d'"],
        token_examples: &["export GITLAB_TOKEN=glx-9a8b7c6d5e4f", "export API_SECRET=\"Zk3-9vQm_Tr7\""],
        negatives: &["export DB_PASSWORD=$(pass show db)", "export API_TOKEN=\"$API_TOKEN\""],
        sample_path: ".bashrc",
    },
    Format {
        slug: "wordpress",
        name: "WordPress wp-config.php",
        provider: "mysql",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: &["auth_key", "secure_auth_key", "logged_in_key", "nonce_key", "auth_salt", "secure_auth_salt", "logged_in_salt", "nonce_salt"],
        general: true,
        reference: "https://developer.wordpress.org/apis/wp-config-php/",
        examples: &["define( 'DB_PASSWORD', 'Sequoia4' );", "define('DB_PASSWORD', \"wp-pw-77\");"],
        token_examples: &["define('AUTH_KEY', 'T~0{v5s-%pq]|3;Rr9LmKj8');", "define( 'NONCE_SALT', 'b7#Qx9!zL2@pW4$kR6' );"],
        negatives: &["define( 'DB_PASSWORD', 'password_here' );", "define( 'AUTH_KEY', 'put your unique phrase here' );"],
        sample_path: "wp-config.php",
    },
    Format {
        slug: "phpmyadmin",
        name: "phpMyAdmin config.inc.php",
        provider: "mysql",
        syntax: Syntax::Code,
        passwords: &["controlpass"],
        tokens: &["blowfish_secret"],
        general: true,
        reference: "https://docs.phpmyadmin.net/en/latest/config.html",
        examples: &["$cfg['Servers'][$i]['password'] = 'Acacia12';", "$cfg['Servers'][$i]['controlpass'] = 'pmapass9';"],
        token_examples: &["$cfg['blowfish_secret'] = 'a8Kq2Lm9Zx3Cv7Bn1Mj5Hg4Fd6';", "$cfg['blowfish_secret'] = \"0pL9kI8uJ7yH6tG5rF\";"],
        negatives: &["$cfg['Servers'][$i]['password'] = '';", "$cfg['blowfish_secret'] = '';"],
        sample_path: "config.inc.php",
    },
    Format {
        slug: "php",
        name: "PHP application configuration (settings.php, configuration.php, LocalSettings.php, config.php)",
        provider: "config",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: &["hash_salt", "wgsecretkey", "wgupgradekey"],
        general: true,
        reference: "https://www.drupal.org/docs/getting-started/installing-drupal/step-3-create-settingsphp-and-the-files-directory",
        examples: &["$databases['default']['default'] = ['username' => 'drupal', 'password' => 'Elm5tree'];", "public $password = 'j00mla-db';"],
        token_examples: &["$settings['hash_salt'] = 'Xk2Lm9Qp4Rs7Tu1Vw3Yz5';", "$wgSecretKey = \"9c8b7a6f5e4d3c2b1a0f\";"],
        negatives: &["'password' => getenv('DB_PASSWORD'),", "$settings['hash_salt'] = '';"],
        sample_path: "settings.php",
    },
    Format {
        slug: "symfony",
        name: "Symfony parameters.yml",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: &["secret"],
        general: true,
        reference: "https://symfony.com/doc/3.4/best_practices/configuration.html",
        examples: &["parameters:\n    database_password: Linden4\n", "    mailer_password: 'ml-pw-8'"],
        token_examples: &["    secret: Sf7kQ2pL9xR4mW8vT3zY", "    secret: 7c9e1a3b5d7f9e1c"],
        negatives: &["    database_password: null", "    database_password: '%env(DB_PASSWORD)%'"],
        sample_path: "app/config/parameters.yml",
    },
    Format {
        slug: "spring",
        name: "Spring Boot application.properties / application.yml",
        provider: "jdbc",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://docs.spring.io/spring-boot/appendix/application-properties/index.html",
        examples: &["spring.datasource.password=Juniper6", "spring:\n  datasource:\n    password: sb-pw-42\n"],
        token_examples: &["spring.security.oauth2.client.registration.github.client-secret=1a2b3c4d5e6f7a8b", "jwt.secret: Q3p9Lk2Mn8Bv4Cx6"],
        negatives: &["spring.datasource.password=${DB_PASSWORD}", "spring.datasource.password="],
        sample_path: "src/main/resources/application.properties",
    },
    Format {
        slug: "hibernate",
        name: "Hibernate configuration",
        provider: "jdbc",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://docs.jboss.org/hibernate/orm/6.4/userguide/html_single/Hibernate_User_Guide.html#configurations-database-connection",
        examples: &["<property name=\"hibernate.connection.password\">Hemlock3</property>", "<property name=\"connection.password\" value=\"hb-pw-9\"/>"],
        token_examples: NONE,
        negatives: &["<property name=\"hibernate.connection.password\"></property>", "<property name=\"connection.username\">sa</property>"],
        sample_path: "hibernate.cfg.xml",
    },
    Format {
        slug: "tomcat",
        name: "Tomcat tomcat-users.xml / context.xml / server.xml",
        provider: "config",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://tomcat.apache.org/tomcat-10.1-doc/realm-howto.html#UserDatabaseRealm",
        examples: &["<user username=\"admin\" password=\"Tamarack1\" roles=\"manager-gui\"/>", "<Resource name=\"jdbc/db\" username=\"app\" password=\"tc-pw-5\"/>"],
        token_examples: NONE,
        negatives: &["<user username=\"admin\" password=\"&lt;must-be-changed&gt;\" roles=\"x\"/>", "<user username=\"role1\" password=\"<must-be-changed>\" roles=\"role1\"/>"],
        sample_path: "conf/tomcat-users.xml",
    },
    Format {
        slug: "maven",
        name: "Maven settings.xml",
        provider: "config",
        syntax: Syntax::Code,
        passwords: &["passphrase", "master"],
        tokens: NONE,
        general: true,
        reference: "https://maven.apache.org/settings.html#servers",
        examples: &["<server><id>nexus</id><username>ci</username><password>Larch2021</password></server>", "<passphrase>gpg-pass-1</passphrase>"],
        token_examples: NONE,
        negatives: &["<password>${env.NEXUS_PASSWORD}</password>", "<server><id>nexus</id></server>"],
        sample_path: ".m2/settings.xml",
    },
    Format {
        slug: "gradle",
        name: "gradle.properties",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://docs.gradle.org/current/userguide/build_environment.html#sec:gradle_configuration_properties",
        examples: &["signing.password=Alder2022", "ossrhPassword=os-pw-33"],
        token_examples: &["githubToken=gh-tok-7a8b9c0d", "sonatypeApiKey=9f8e7d6c5b4a3f2e"],
        negatives: &["org.gradle.jvmargs=-Xmx2g", "signing.password="],
        sample_path: "gradle.properties",
    },
    Format {
        slug: "nuget",
        name: "NuGet.config package source credentials",
        provider: "nuget",
        syntax: Syntax::Code,
        passwords: &["cleartextpassword"],
        tokens: NONE,
        general: true,
        reference: "https://learn.microsoft.com/en-us/nuget/reference/nuget-config-file#packagesourcecredentials",
        examples: &["<add key=\"ClearTextPassword\" value=\"Poplar99\" />", "<add key=\"Password\" value=\"AQAAANCMnd8BFdERjHoAwE\" />"],
        token_examples: NONE,
        negatives: &["<add key=\"ClearTextPassword\" value=\"%NUGET_PAT%\" />", "<add key=\"Username\" value=\"ci\" />"],
        sample_path: "NuGet.config",
    },
    Format {
        slug: "dotnet",
        name: ".NET web.config / app.config",
        provider: "mssql",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://learn.microsoft.com/en-us/dotnet/framework/data/adonet/connection-strings-and-configuration-files",
        examples: &["<add name=\"Db\" connectionString=\"Server=sql1;Database=app;User Id=app;Password=Cypress8;\" />", "<add key=\"SmtpPassword\" value=\"sm-pw-4\" />"],
        token_examples: &["<add key=\"ApiSecret\" value=\"7Hq2Lm9Zx3Cv\" />", "<add key=\"StorageAccountKey\" value=\"q9W8e7R6t5Y4u3I2\" />"],
        negatives: &["<add name=\"Db\" connectionString=\"Server=.;Integrated Security=true\" />", "<add key=\"SmtpPassword\" value=\"\" />"],
        sample_path: "web.config",
    },
    Format {
        slug: "appsettings",
        name: "ASP.NET Core appsettings.json",
        provider: "mssql",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://learn.microsoft.com/en-us/aspnet/core/fundamentals/configuration/",
        examples: &["\"ConnectionStrings\": { \"Default\": \"Server=db;Database=app;User Id=sa;Password=Redwood7;\" }", "\"SmtpPassword\": \"as-pw-11\""],
        token_examples: &["\"ClientSecret\": \"9a8b7c6d5e4f3a2b\"", "\"JwtKey\": \"x\", \"ApiKey\": \"Zq3Lm9Kx2Vb7\""],
        negatives: &["\"Default\": \"Server=(localdb)\\\\mssqllocaldb;Trusted_Connection=True\"", "\"Password\": \"\""],
        sample_path: "appsettings.json",
    },
    Format {
        slug: "ansible",
        name: "Ansible inventory and group_vars / host_vars",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: &["ansible_become_pass", "ansible_ssh_pass", "ansible_sudo_pass"],
        tokens: NONE,
        general: true,
        reference: "https://docs.ansible.com/ansible/latest/inventory_guide/intro_inventory.html#connecting-to-hosts-behavioral-inventory-parameters",
        examples: &["ansible_become_pass: Chestnut2", "mysql_root_password: 'an-pw-55'"],
        token_examples: &["vault_api_token: 8a7b6c5d4e3f2a1b", "app_secret_key: Zk3Lm9Qp2Vx7"],
        negatives: &["ansible_become_pass: \"{{ vault_become_pass }}\"", "db_password: !vault |"],
        sample_path: "group_vars/all.yml",
    },
    Format {
        slug: "htpasswd",
        name: ".htpasswd with a plain-text password",
        provider: "htpasswd",
        syntax: Syntax::Htpasswd,
        passwords: NONE,
        tokens: NONE,
        general: false,
        reference: "https://httpd.apache.org/docs/2.4/programs/htpasswd.html",
        examples: &["admin:Sycamore4", "bob:plain-pw-1"],
        token_examples: NONE,
        negatives: &["admin:$apr1$abcdefgh$0123456789abcdefghijkl", "# comment"],
        sample_path: ".htpasswd",
    },
    Format {
        slug: "compose",
        name: "Docker Compose file",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://docs.docker.com/reference/compose-file/services/#environment",
        examples: &["    environment:\n      - POSTGRES_PASS=Beech1990\n", "      MARIADB_ROOT_PASS: dc-pw-66"],
        token_examples: &["      - APP_SECRET=5d4c3b2a1f0e9d8c", "      GRAFANA_API_TOKEN: \"gt-9a8b7c6d5e\""],
        negatives: &["      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}", "      POSTGRES_PASSWORD_FILE: /run/secrets/db"],
        sample_path: "docker-compose.yml",
    },
    Format {
        slug: "jenkins",
        name: "Jenkins credentials.xml",
        provider: "config",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: &["secret", "privatekey"],
        general: true,
        reference: "https://www.jenkins.io/doc/book/using/using-credentials/",
        examples: &["<password>{AQAAABAAAAAQ1/JHKggxIlBcuVqegoa2AdyVaNvjWIFk430/vI4jEBM=}</password>", "<passphrase>jk-pass-2</passphrase>"],
        token_examples: &["<secret>{AQAAABAAAAAgPT7JbBVgyWiivobt0CJEduLyP0lB3uyTj+D5WBvVk6jyG6BQFPYGN4Z3VJN2JLDm}</secret>", "<secret>9f8e7d6c5b4a</secret>"],
        negatives: &["<password></password>", "<username>ci</username>"],
        sample_path: "credentials.xml",
    },
    Format {
        slug: "redis",
        name: "redis.conf / sentinel.conf",
        provider: "redis",
        syntax: Syntax::SpaceLines,
        passwords: &["requirepass", "masterauth", "auth_pass"],
        tokens: NONE,
        general: false,
        reference: "https://redis.io/docs/latest/operate/oss_and_stack/management/config-file/",
        examples: &["requirepass Foxglove5", "masterauth \"rd-pw-31\""],
        token_examples: NONE,
        negatives: &["# requirepass foobared", "requirepass \"\""],
        sample_path: "redis.conf",
    },
    Format {
        slug: "pgbouncer",
        name: "PgBouncer userlist.txt",
        provider: "postgres",
        syntax: Syntax::Userlist,
        passwords: NONE,
        tokens: NONE,
        general: false,
        reference: "https://www.pgbouncer.org/config.html#authentication-file-format",
        examples: &["\"app\" \"Bluebell2\"", "\"report\" \"md5a1b2c3d4e5f60718293a4b5c6d7e8f9\""],
        token_examples: NONE,
        negatives: &["\"app\" \"\"", ";\"user\" \"password\""],
        sample_path: "userlist.txt",
    },
    Format {
        slug: "odbc",
        name: "ODBC data source (odbc.ini)",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://www.unixodbc.org/odbcinst.html",
        examples: &["[prod]\nDriver=PostgreSQL\nPassword=Teasel33\n", "PWD=od-pw-6"],
        token_examples: NONE,
        negatives: &["[prod]\nDriver=PostgreSQL\n", "Password="],
        sample_path: "odbc.ini",
    },
    Format {
        slug: "sql",
        name: "SQL script or dump",
        provider: "mysql",
        syntax: Syntax::Sql,
        passwords: NONE,
        tokens: NONE,
        general: false,
        reference: "https://dev.mysql.com/doc/refman/8.0/en/create-user.html",
        examples: &["CREATE USER 'app'@'%' IDENTIFIED BY 'Laurel12';", "ALTER ROLE report WITH LOGIN PASSWORD 'sq-pw-8';"],
        token_examples: NONE,
        negatives: &["CREATE USER 'app'@'%' IDENTIFIED BY '${APP_PASSWORD}';", "SELECT password FROM users;"],
        sample_path: "dump.sql",
    },
    Format {
        slug: "cargo",
        name: "Cargo credentials.toml",
        provider: "cratesio",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: &["token"],
        general: false,
        reference: "https://doc.rust-lang.org/cargo/reference/config.html#credentials",
        examples: NONE,
        token_examples: &["[registry]\ntoken = \"cio-9a8b7c6d5e4f\"\n", "[registries.corp]\ntoken = \"crt-7f6e5d4c3b2a\""],
        negatives: &["[registry]\ntoken = \"\"\n", "[registry]\nglobal-credential-providers = [\"cargo:token\"]"],
        sample_path: ".cargo/credentials.toml",
    },
    Format {
        slug: "gh",
        name: "GitHub CLI hosts.yml / hub config",
        provider: "github",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: &["oauth_token"],
        general: false,
        reference: "https://cli.github.com/manual/gh_auth_login",
        examples: NONE,
        token_examples: &["github.com:\n    oauth_token: gho_notreal123456\n", "    oauth_token: 0a1b2c3d4e5f6a7b8c9d"],
        negatives: &["github.com:\n    user: bob\n", "    oauth_token: \"\""],
        sample_path: ".config/gh/hosts.yml",
    },
    Format {
        slug: "vault-token",
        name: "HashiCorp Vault token helper file (.vault-token)",
        provider: "hashicorp",
        syntax: Syntax::WholeFile,
        passwords: NONE,
        tokens: NONE,
        general: false,
        reference: "https://developer.hashicorp.com/vault/docs/commands/token-helper",
        examples: NONE,
        token_examples: &["s.Xk2Lm9Qp4Rs7Tu1Vw3Yz5Ab\n", "hvs.CAESIJ9aXk2Lm9Qp4Rs7Tu1"],
        negatives: &["\n", "<token>"],
        sample_path: ".vault-token",
    },
    Format {
        slug: "terraform",
        name: "Terraform variables (.tfvars)",
        provider: "config",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files",
        examples: &["db_password = \"Hawthorn7\"", "admin_password=\"tf-pw-13\""],
        token_examples: &["api_token = \"tf-tok-9a8b7c6d\"", "client_secret = \"Zq3Lm9Kx2Vb7Nc\""],
        negatives: &["db_password = var.db_password", "db_password = \"\""],
        sample_path: "prod.tfvars",
    },
    Format {
        slug: "json",
        name: "JSON configuration file",
        provider: "config",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://cwe.mitre.org/data/definitions/260.html",
        examples: &["{\"db\": {\"user\": \"app\", \"password\": \"Quince42\"}}", "  \"smtpPassword\": \"js-pw-90\","],
        token_examples: &["  \"apiKey\": \"Zq3Lm9Kx2Vb7Nc\",", "{\"client_secret\": \"9f8e7d6c5b4a3f2e\"}"],
        negatives: &["{\"password\": {\"type\": \"string\"}}", "  \"password\": \"Password\","],
        sample_path: "config/default.json",
    },
    Format {
        slug: "xml",
        name: "XML configuration file",
        provider: "config",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://cwe.mitre.org/data/definitions/260.html",
        examples: &["<datasource><user>app</user><password>Medlar5x</password></datasource>", "<smtp host=\"mail.lan\" password=\"xm-pw-12\"/>"],
        token_examples: &["<apiKey>Zq3Lm9Kx2Vb7Nc</apiKey>", "<add key=\"ClientSecret\" value=\"9f8e7d6c5b4a3f2e\"/>"],
        negatives: &["<password>${db.password}</password>", "<string name=\"password_hint\">Password</string>"],
        sample_path: "conf/datasource.xml",
    },
    Format {
        slug: "generic",
        name: "configuration file (INI, YAML, properties, TOML, conf)",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://cwe.mitre.org/data/definitions/260.html",
        examples: &["[database]\npassword = Bramble22\n", "smtp:\n  password: \"cf-pw-71\"\n"],
        token_examples: &["api_token: 9f8e7d6c5b4a3f2e", "client_secret = \"Zq3Lm9Kx2Vb7Nc\""],
        negatives: &["password: ${SMTP_PASSWORD}", "password_min_length: 12"],
        sample_path: "config/app.yml",
    },
];

/// The format a path is recognised as, by the names and places the tools document.
fn format_for_path(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let lower = lower.replace('\\', "/");
    let base = lower.rsplit('/').next().unwrap_or(&lower);
    let parent = lower.rsplit('/').nth(1).unwrap_or("");
    let in_dir = |d: &str| {
        lower.contains(&format!("{d}/"))
            && (lower.starts_with(d) || lower.contains(&format!("/{d}/")))
    };
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
    if !slug.is_empty() {
        return Some(slug);
    }
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

/// Signatures of formats recognised by content (a path is unknown or says nothing): the
/// text a file of that format carries near its top, and the format.
const SIGNATURES: &[(&str, &str)] = &[
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
const PATHLESS_SIGNATURES: &[(&str, &str)] = &[
    ("IDENTIFIED BY", "sql"),
    ("identified by", "sql"),
    ("DATABASES = {", "django"),
    ("requirepass ", "redis"),
];

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
}

/// Stems at least one of which a file must hold to be parsed.
const KEYWORDS: &[&str] = &[
    "pass",
    "pwd",
    "secret",
    "token",
    "key",
    "auth",
    "salt",
    "identified",
    "://",
    "credential",
    "master",
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
        })
    }

    /// Appends to `out` the credentials of `data` if it is a recognised config file
    /// (`path` empty when unknown). Matches on a line with an inline allow marker are
    /// dropped when `inline_ignores`; the count of those is returned.
    pub fn scan(
        &self,
        data: &[u8],
        path: &str,
        inline_ignores: bool,
        out: &mut Vec<RawMatch>,
    ) -> u64 {
        let Some(fi) = self.recognise(data, path) else {
            return 0;
        };
        let format = &FORMATS[fi];
        if format.syntax != Syntax::Sql && data.len() > MAX_PARSE {
            return 0;
        }
        // Formats whose every entry is a credential name no field: no keyword to look for.
        let keyed = !matches!(
            format.syntax,
            Syntax::WholeFile | Syntax::Pgpass | Syntax::Userlist | Syntax::Htpasswd
        );
        if keyed && !self.keywords.is_match(data) {
            return 0;
        }
        // Kubernetes Secrets hold base64 or sealed values: the kubernetes rules and the
        // decoding pass read them.
        if memchr::memmem::find(data, b"kind: Secret").is_some()
            || memchr::memmem::find(data, b"kind: SealedSecret").is_some()
        {
            return 0;
        }
        let mut found = Vec::new();
        extract(format, data, &mut found);
        // Values in an `encrypted:` / SOPS block are ciphertext, as for the generic detector.
        found.retain(|&(_, s, _)| !super::filters::generic_context_rejects(data, s));
        let mut suppressed = 0;
        for (kind, s, e) in found {
            let Some(rule) = self.rules[fi][kind as usize] else {
                continue;
            };
            if inline_ignores && super::has_inline_allow(data, s, e) {
                suppressed += 1;
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
        suppressed
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
            Some("generic") | Some("json") | Some("xml") | None => {
                let pathless = path.is_empty() || path == "-";
                // Source code and documentation quote config files; only data files
                // and files without an extension are sniffed.
                if !pathless && by_path.is_none() && !sniffable(path) {
                    return None;
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
            let spec = RuleSpec {
                id: format!("config.{}.{kind}", f.slug),
                name,
                provider: f.provider.to_owned(),
                credential,
                severity: Severity::High,
                keywords: Vec::new(),
                // Config rules run in the config-file pass, not through a regex.
                pattern: String::new(),
                value: None,
                min_entropy: None,
                multiline: false,
                max_lines: None,
                context: None,
                context_lines: None,
                examples: examples.iter().map(|s| (*s).to_owned()).collect(),
                negative_examples: f.negatives.iter().map(|s| (*s).to_owned()).collect(),
                references: vec![f.reference.to_owned()],
                allow: None,
                validate: None,
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
    out
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

/// Finds the credentials of `data` read as `f`: (kind, start, end) of each value.
fn extract(f: &Format, data: &[u8], out: &mut Vec<(Kind, usize, usize)>) {
    match f.syntax {
        Syntax::Netrc => netrc(data, out),
        Syntax::Pgpass => each_line(data, |l, at| pgpass(l, at, out)),
        Syntax::Userlist => each_line(data, |l, at| userlist(l, at, out)),
        Syntax::Htpasswd => each_line(data, |l, at| htpasswd(l, at, out)),
        Syntax::UrlLines => each_line(data, |l, at| userinfo(l, at, out)),
        Syntax::WholeFile => whole_file(data, out),
        Syntax::Sql => sql(data, out),
        Syntax::Lines | Syntax::SpaceLines => {
            let space = f.syntax == Syntax::SpaceLines;
            each_line(data, |l, at| lines_line(f, l, at, space, out))
        }
        Syntax::Code => each_line(data, |l, at| code_line(f, l, at, out)),
    }
}

/// Calls `f` with each line (without its `\r\n`) and its offset.
fn each_line(data: &[u8], mut f: impl FnMut(&[u8], usize)) {
    let mut at = 0;
    for line in data.split(|&b| b == b'\n') {
        let l = line.strip_suffix(b"\r").unwrap_or(line);
        f(l, at);
        at += line.len() + 1;
    }
}

fn netrc(data: &[u8], out: &mut Vec<(Kind, usize, usize)>) {
    // Tokens with their offsets; `macdef` bodies run to the next blank line.
    let mut i = 0;
    let mut expect_password = false;
    while i < data.len() {
        while i < data.len() && data[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= data.len() {
            break;
        }
        if data[i] == b'#' {
            while i < data.len() && data[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let (s, e, next) = if data[i] == b'"' {
            let s = i + 1;
            let mut j = s;
            while j < data.len() && data[j] != b'"' && data[j] != b'\n' {
                if data[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            let j = j.min(data.len());
            (s, j, (j + 1).min(data.len()))
        } else {
            let s = i;
            let mut j = i;
            while j < data.len() && !data[j].is_ascii_whitespace() {
                j += 1;
            }
            (s, j, j)
        };
        let tok = &data[s..e];
        if expect_password {
            expect_password = false;
            if keep(Kind::Password, tok, b"password") {
                out.push((Kind::Password, s, e));
            }
        } else if tok.eq_ignore_ascii_case(b"password") || tok.eq_ignore_ascii_case(b"passwd") {
            expect_password = true;
        } else if tok == b"macdef" {
            // Skip to the blank line that ends the macro.
            let mut j = next;
            while j < data.len() {
                if data[j] == b'\n' && data.get(j + 1) == Some(&b'\n') {
                    break;
                }
                j += 1;
            }
            i = j;
            continue;
        }
        i = next;
    }
}

fn pgpass(line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    let t = line.trim_ascii_start();
    if t.is_empty() || t[0] == b'#' {
        return;
    }
    let mut fields = 0;
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'\\' => i += 1,
            b':' => {
                fields += 1;
                if fields == 4 {
                    let s = i + 1;
                    let v = line[s..].trim_ascii_end();
                    if keep(Kind::Password, v, b"password") {
                        out.push((Kind::Password, at + s, at + s + v.len()));
                    }
                    return;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

fn userlist(line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    let t = line.trim_ascii_start();
    if t.first() != Some(&b'"') {
        return;
    }
    // Second quoted string.
    let mut quotes = line
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'"')
        .map(|(i, _)| i);
    let (Some(_), Some(_), Some(s), Some(e)) =
        (quotes.next(), quotes.next(), quotes.next(), quotes.next())
    else {
        return;
    };
    let v = &line[s + 1..e];
    if keep(Kind::Password, v, b"password") {
        out.push((Kind::Password, at + s + 1, at + e));
    }
}

fn htpasswd(line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    let t = line.trim_ascii();
    if t.is_empty() || t[0] == b'#' {
        return;
    }
    let Some(c) = memchr::memchr(b':', line) else {
        return;
    };
    let v = line[c + 1..].trim_ascii_end();
    // Hashes ($apr1$, $2y$, {SHA}, crypt) are the htpasswd rules' job; 13-byte DES crypt
    // strings are indistinguishable from a password and are left to them too.
    let des = v.len() == 13
        && v.iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'/');
    if v.first() == Some(&b'$') || v.starts_with(b"{") || des || v.contains(&b':') {
        return;
    }
    if keep(Kind::Password, v, b"password") {
        out.push((Kind::Password, at + c + 1, at + c + 1 + v.len()));
    }
}

fn whole_file(data: &[u8], out: &mut Vec<(Kind, usize, usize)>) {
    let start = data.len() - data.trim_ascii_start().len();
    let v = data.trim_ascii();
    if v.len() >= 16
        && v.len() <= 512
        && !v.iter().any(|b| b.is_ascii_whitespace())
        && keep(Kind::Token, v, b"key")
    {
        out.push((Kind::Token, start, start + v.len()));
    }
}

/// `scheme://user:password@host` anywhere in `s`: the password's span.
fn userinfo(s: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&s[from..], b"://") {
        let auth_start = from + i + 3;
        from = auth_start;
        let end = s[auth_start..]
            .iter()
            .position(|&b| {
                matches!(
                    b,
                    b'/' | b'?' | b'#' | b' ' | b'"' | b'\'' | b'<' | b'>' | b'\t' | b','
                )
            })
            .map_or(s.len(), |p| auth_start + p);
        let auth = &s[auth_start..end];
        let Some(atsign) = memchr::memrchr(b'@', auth) else {
            continue;
        };
        let Some(colon) = memchr::memchr(b':', &auth[..atsign]) else {
            continue;
        };
        let v = &auth[colon + 1..atsign];
        if keep(Kind::Password, v, b"password") {
            let vs = at + auth_start + colon + 1;
            out.push((Kind::Password, vs, vs + v.len()));
        }
    }
}

/// `Password=...;` / `Pwd=...` inside a connection string value.
fn connection_string(s: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    for part_start in std::iter::once(0).chain(memchr::memchr_iter(b';', s).map(|i| i + 1)) {
        let rest = &s[part_start..];
        let end = memchr::memchr(b';', rest).unwrap_or(rest.len());
        let part = &rest[..end];
        let Some(eq) = memchr::memchr(b'=', part) else {
            continue;
        };
        let key = part[..eq].trim_ascii().to_ascii_lowercase();
        if key == b"password" || key == b"pwd" {
            let raw = &part[eq + 1..];
            let lead = raw.len() - raw.trim_ascii_start().len();
            let mut v = raw.trim_ascii();
            let mut off = part_start + eq + 1 + lead;
            if v.len() >= 2 && (v[0] == b'\'' || v[0] == b'{') {
                v = &v[1..v.len() - 1];
                off += 1;
            }
            if keep(Kind::Password, v, b"password") {
                out.push((Kind::Password, at + off, at + off + v.len()));
            }
        }
    }
}

/// Looks inside a value for connection-string passwords and URL userinfo.
fn nested(v: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    if memchr::memmem::find(v, b"://").is_some() {
        userinfo(v, at, out);
    }
    if memchr::memchr(b'=', v).is_some() && memchr::memchr(b';', v).is_some() {
        let lower = v.to_ascii_lowercase();
        if memchr::memmem::find(&lower, b"password=").is_some()
            || memchr::memmem::find(&lower, b"pwd=").is_some()
        {
            connection_string(v, at, out);
        }
    }
}

/// A `Lines` line: `name = value`, `name: value`, `export NAME=value`, `- NAME=value`,
/// (and `name value` with `space`).
fn lines_line(
    f: &Format,
    line: &[u8],
    at: usize,
    space: bool,
    out: &mut Vec<(Kind, usize, usize)>,
) {
    let lead = line.len() - line.trim_ascii_start().len();
    let mut t = &line[lead..];
    let mut off = at + lead;
    // `//host/:_authToken=` is an .npmrc key, `// text` a comment.
    if t.is_empty() || matches!(t[0], b'#' | b';' | b'!' | b'[') || t.starts_with(b"// ") {
        return;
    }
    for prefix in [&b"export "[..], b"set ", b"setenv ", b"- ", b"declare -x "] {
        if t.starts_with(prefix) {
            let skip = prefix.len()
                + (t.len() - prefix.len() - t[prefix.len()..].trim_ascii_start().len());
            t = &t[skip..];
            off += skip;
        }
    }
    // The name: up to the separator.
    let mut i = 0;
    let quoted_name = matches!(t.first(), Some(b'"') | Some(b'\''));
    if quoted_name {
        let q = t[0];
        match memchr::memchr(q, &t[1..]) {
            Some(e) => i = e + 2,
            None => return,
        }
    } else {
        // A colon inside a name (`//host:8080/:_auth`) is not a YAML separator: that one
        // is followed by a blank, a quote or the end of the line.
        while i < t.len()
            && !matches!(t[i], b'=' | b' ' | b'\t')
            && !(t[i] == b':'
                && t.get(i + 1)
                    .is_none_or(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\''))
        {
            i += 1;
        }
    }
    let name = &t[..i];
    let mut j = i;
    while j < t.len() && (t[j] == b' ' || t[j] == b'\t') {
        j += 1;
    }
    let sep = t.get(j).copied();
    let spaced = j > i;
    let vstart = match sep {
        Some(b'=') if t.get(j + 1) != Some(&b'=') => j + 1,
        Some(b':')
            if t.get(j + 1)
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'') =>
        {
            j + 1
        }
        Some(b'=') | Some(b':') => return,
        // csh `setenv NAME value`, redis `requirepass value`.
        Some(_) if spaced && (space || line.trim_ascii_start().starts_with(b"setenv ")) => j,
        _ => return,
    };
    // `setenv` and space formats.
    let rest = &t[vstart..];
    let vlead = rest.len() - rest.trim_ascii_start().len();
    let v = &rest[vlead..];
    let voff = off + vstart + vlead;
    let (value, vs) = line_value(v, voff);
    if value.is_empty() {
        return;
    }
    let name = strip_quotes(name);
    match classify(f, name) {
        Some(kind) => {
            if keep(kind, value, name) {
                out.push((kind, vs, vs + value.len()));
            } else {
                nested(value, vs, out);
            }
        }
        None => nested(value, vs, out),
    }
}

/// The value of a line-valued assignment: a quoted string's content, or the rest of the
/// line without a trailing comment.
fn line_value(v: &[u8], off: usize) -> (&[u8], usize) {
    match v.first() {
        Some(&q) if q == b'"' || q == b'\'' => match memchr::memchr(q, &v[1..]) {
            Some(e) => (&v[1..e + 1], off + 1),
            None => (&v[..0], off),
        },
        // YAML block scalars and flow collections: not a scalar on this line.
        // ...and a comment where the value should be (`KEY=  # generate with ...`).
        Some(b'|') | Some(b'>') | Some(b'{') | Some(b'[') | Some(b'&') | Some(b'*')
        | Some(b'#') => (&v[..0], off),
        _ => {
            let mut end = v.len();
            for (k, w) in v.windows(2).enumerate() {
                if (w[0] == b' ' || w[0] == b'\t') && (w[1] == b'#' || w[1] == b';') {
                    end = k;
                    break;
                }
            }
            (v[..end].trim_ascii_end(), off)
        }
    }
}

fn strip_quotes(name: &[u8]) -> &[u8] {
    let n = name.trim_ascii();
    if n.len() >= 2 && (n[0] == b'"' || n[0] == b'\'') && n[n.len() - 1] == n[0] {
        &n[1..n.len() - 1]
    } else {
        n
    }
}

/// A `Code` line: each quoted string assigned to a name (`name = "v"`, `"name": "v"`,
/// `'name' => 'v'`, `['name'] = 'v'`, `define('NAME', 'v')`, XML `name="v"`,
/// `<add key="NAME" value="v"/>`) and each XML element `<name>v</name>`.
fn code_line(f: &Format, line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    let t = line.trim_ascii_start();
    if t.starts_with(b"//")
        || t.starts_with(b"#")
        || t.starts_with(b"<!--")
        || t.starts_with(b"*")
        || t.starts_with(b"/*")
    {
        return;
    }
    let mut i = 0;
    while i < line.len() {
        let q = line[i];
        if q == b'<' {
            if let Some(next) = xml_element(f, line, i, at, out) {
                i = next;
                continue;
            }
            i += 1;
            continue;
        }
        if q != b'"' && q != b'\'' {
            i += 1;
            continue;
        }
        // A string literal from i.
        let s = i + 1;
        let mut j = s;
        while j < line.len() && line[j] != q {
            if line[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        if j >= line.len() {
            return;
        }
        let value = &line[s..j];
        let after = line[j + 1..].trim_ascii_start();
        // `'x' % y`, `"a" + b`, `'x'.format()`: an expression, not a literal.
        let expression = matches!(after.first(), Some(b'%') | Some(b'+') | Some(b'.'));
        if !expression {
            if let Some(name) = assigned_name(line, i) {
                match classify(f, &name) {
                    Some(kind) => {
                        if keep(kind, value, &name) {
                            out.push((kind, at + s, at + j));
                        } else {
                            nested(value, at + s, out);
                        }
                    }
                    None => nested(value, at + s, out),
                }
            }
        }
        i = j + 1;
    }
}

/// The name a string literal starting at `q` (its opening quote) is assigned to.
fn assigned_name(line: &[u8], q: usize) -> Option<Vec<u8>> {
    let mut k = q;
    while k > 0 && line[k - 1].is_ascii_whitespace() {
        k -= 1;
    }
    // The separator.
    let sep_end = k;
    let define = if k >= 1 && line[k - 1] == b',' {
        k -= 1;
        true
    } else if k >= 2 && (&line[k - 2..k] == b"=>" || &line[k - 2..k] == b":=") {
        k -= 2;
        false
    } else if k >= 1 && (line[k - 1] == b'=' || line[k - 1] == b':') {
        if k >= 2 && matches!(line[k - 2], b'=' | b'!' | b'<' | b'>') {
            return None; // a comparison
        }
        k -= 1;
        false
    } else {
        return None;
    };
    let _ = sep_end;
    while k > 0 && line[k - 1].is_ascii_whitespace() {
        k -= 1;
    }
    if k == 0 {
        return None;
    }
    // The name: a quoted string, a bracketed quoted key, or an identifier.
    let mut end = k;
    if line[end - 1] == b']' {
        end -= 1;
    }
    let name_end;
    let name_start;
    let c = line[end - 1];
    if c == b'"' || c == b'\'' {
        name_end = end - 1;
        let open = memchr::memrchr(c, &line[..name_end])?;
        name_start = open + 1;
        if define {
            let before = line[..open].trim_ascii_end();
            let before = before.strip_suffix(b"(")?.trim_ascii_end();
            if !before.to_ascii_lowercase().ends_with(b"define") {
                return None;
            }
        }
    } else {
        if define {
            return None;
        }
        name_end = end;
        let mut s = end;
        while s > 0
            && (line[s - 1].is_ascii_alphanumeric()
                || matches!(line[s - 1], b'_' | b'-' | b'.' | b'$' | b':'))
        {
            s -= 1;
        }
        name_start = s;
    }
    if name_start >= name_end {
        return None;
    }
    let name = &line[name_start..name_end];
    // `<add key="X" value="v"/>` / `<property name="X" value="v"/>`: the key names it.
    if name.eq_ignore_ascii_case(b"value") {
        let tag_start = memchr::memrchr(b'<', &line[..name_start])?;
        let tag = &line[tag_start..name_start];
        for attr in [&b"key="[..], b"name="] {
            if let Some(p) = find_ci(tag, attr) {
                let rest = &tag[p + attr.len()..];
                let qc = *rest.first()?;
                if qc == b'"' || qc == b'\'' {
                    let e = memchr::memchr(qc, &rest[1..])?;
                    return Some(rest[1..e + 1].to_vec());
                }
            }
        }
        return None;
    }
    Some(name.to_vec())
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// An XML element `<name ...>text</name>` at `lt` (or `<property name="x">text</...>`):
/// reports the text when the name means a credential. Returns where to continue.
fn xml_element(
    f: &Format,
    line: &[u8],
    lt: usize,
    at: usize,
    out: &mut Vec<(Kind, usize, usize)>,
) -> Option<usize> {
    let mut k = lt + 1;
    while k < line.len()
        && (line[k].is_ascii_alphanumeric() || matches!(line[k], b'_' | b'-' | b'.' | b':'))
    {
        k += 1;
    }
    if k == lt + 1 {
        return None;
    }
    let tag = &line[lt + 1..k];
    let gt = k + memchr::memchr(b'>', &line[k..])?;
    if line[gt - 1] == b'/' {
        return None; // self-closing: its attributes are read as assignments
    }
    let attrs = &line[k..gt];
    let text_start = gt + 1;
    let close = text_start + memchr::memchr(b'<', &line[text_start..])?;
    if line.get(close + 1) != Some(&b'/') {
        return None;
    }
    let mut name = tag.to_vec();
    if matches!(
        tag.to_ascii_lowercase().as_slice(),
        b"property"
            | b"entry"
            | b"add"
            | b"param"
            | b"parameter"
            | b"setting"
            | b"env"
            | b"environment"
    ) {
        for attr in [&b"name="[..], b"key="] {
            if let Some(p) = find_ci(attrs, attr) {
                let rest = &attrs[p + attr.len()..];
                if let Some(&qc) = rest.first() {
                    if let Some(e) = memchr::memchr(qc, &rest[1..]) {
                        name = rest[1..e + 1].to_vec();
                        break;
                    }
                }
            }
        }
    }
    let value = line[text_start..close].trim_ascii();
    let vs = text_start
        + (line[text_start..close].len() - line[text_start..close].trim_ascii_start().len());
    if !value.is_empty() {
        match classify(f, &name) {
            Some(kind) if keep(kind, value, &name) => {
                out.push((kind, at + vs, at + vs + value.len()))
            }
            _ => nested(value, at + vs, out),
        }
    }
    // Attributes of the opening tag are assignments too: continue inside it.
    Some(k)
}

fn sql(data: &[u8], out: &mut Vec<(Kind, usize, usize)>) {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let Some(ac) = AC
        .get_or_init(|| {
            aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(["identified by", "password"])
                .ok()
        })
        .as_ref()
    else {
        return;
    };
    for m in ac.find_iter(data) {
        let line_start = memchr::memrchr(b'\n', &data[..m.start()]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &data[m.end()..]).map_or(data.len(), |i| m.end() + i);
        let line = data[line_start..line_end].to_ascii_lowercase();
        if m.pattern().as_usize() == 1 {
            // `password` needs a statement about an account on its line.
            let ok = [&b"user"[..], b"role", b"login", b"set password"]
                .iter()
                .any(|w| memchr::memmem::find(&line, w).is_some());
            if !ok {
                continue;
            }
            // Not a column name: `password` as a word.
            if m.start() > 0
                && (data[m.start() - 1].is_ascii_alphanumeric() || data[m.start() - 1] == b'_')
            {
                continue;
            }
        }
        let mut k = m.end();
        let skip_ws = |k: &mut usize| {
            while *k < line_end && data[*k].is_ascii_whitespace() {
                *k += 1;
            }
        };
        skip_ws(&mut k);
        if m.pattern().as_usize() == 1 {
            if data.get(k) == Some(&b'=') || data.get(k) == Some(&b'(') {
                k += 1;
                skip_ws(&mut k);
            }
        } else if data[k..line_end].len() >= 8 && data[k..k + 8].eq_ignore_ascii_case(b"password") {
            // `IDENTIFIED BY PASSWORD '*hash'`
            k += 8;
            skip_ws(&mut k);
        }
        let Some(&qc) = data.get(k) else {
            continue;
        };
        let (s, e) = if qc == b'\'' || qc == b'"' {
            let s = k + 1;
            let Some(e) = memchr::memchr(qc, &data[s..line_end]) else {
                continue;
            };
            (s, s + e)
        } else if m.pattern().as_usize() == 0 && (qc.is_ascii_alphanumeric()) {
            // Oracle: `IDENTIFIED BY secret` without quotes.
            let s = k;
            let mut e = k;
            while e < line_end
                && (data[e].is_ascii_alphanumeric() || matches!(data[e], b'_' | b'#' | b'$'))
            {
                e += 1;
            }
            (s, e)
        } else {
            continue;
        };
        if keep(Kind::Password, &data[s..e], b"password") && !out.iter().any(|o| o.1 == s) {
            out.push((Kind::Password, s, e));
        }
    }
}

/// Splits a field name into lowercase words: `ossrhPassword` -> `ossrh password`,
/// `DB_PASSWORD` -> `db password`, `spring.datasource.password` -> `spring datasource password`.
fn words(name: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for &b in name {
        if b.is_ascii_alphanumeric() {
            if b.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
            cur.push(b.to_ascii_lowercase() as char);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words that make a name about a password or token rather than the credential itself.
const NOT_SECRET_WORDS: &[&str] = &[
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "url",
    "uri",
    "endpoint",
    "length",
    "len",
    "min",
    "max",
    "minimum",
    "maximum",
    "policy",
    "policies",
    "regex",
    "pattern",
    "prompt",
    "field",
    "label",
    "placeholder",
    "reset",
    "expire",
    "expires",
    "expiry",
    "expiration",
    "age",
    "timeout",
    "ttl",
    "lifetime",
    "change",
    "changed",
    "required",
    "require",
    "enabled",
    "enable",
    "disable",
    "disabled",
    "type",
    "mode",
    "strength",
    "rule",
    "rules",
    "hint",
    "encoder",
    "algorithm",
    "algo",
    "hasher",
    "hashers",
    "hash",
    "hashed",
    "digest",
    "count",
    "attempts",
    "retries",
    "validator",
    "validators",
    "validation",
    "history",
    "complexity",
    "command",
    "cmd",
    "script",
    "helper",
    "manager",
    "provider",
    "providers",
    "ref",
    "arn",
    "name",
    "version",
    "id",
    "ids",
    "format",
    "header",
    "prefix",
    "suffix",
    "param",
    "parameter",
    "env",
    "var",
    "variable",
    "public",
    "publishable",
    "method",
    "scheme",
    "limit",
    "size",
    "bits",
    "location",
    "source",
    "secrets",
    "tokens",
    "usage",
    "generator",
    "verify",
    "verification",
    "confirm",
    "confirmation",
    "forgot",
    "label",
    "input",
    "column",
    "secured",
    "lookup",
    "class",
    "handler",
    "callback",
    "template",
    "example",
    "sample",
    "mock",
    "fake",
    "dummy",
    "keys",
    "passwords",
    "entropy",
    "encoding",
    "csrf",
    "xsrf",
    "issuer",
    "audience",
    "flow",
    "grant",
    "kind",
    "checksum",
    "fingerprint",
    "sha1",
    "sha256",
    "md5",
    "alg",
    "rotation",
    "schedule",
    "alias",
    "alphabet",
    "charset",
    "characters",
    "generated",
    "backend",
    "backends",
    "docs",
    "interval",
    "existing",
];

/// The kind of credential a field `name` holds in format `f`, if any.
fn classify(f: &Format, name: &[u8]) -> Option<Kind> {
    let name = name.strip_prefix(b"$").unwrap_or(name);
    // `//registry/:_authToken` and `section.key`: the last segment names the field.
    let last = name
        .rsplit(|&b| b == b':' || b == b'/')
        .next()
        .unwrap_or(name);
    let norm: String = last
        .iter()
        .map(|&b| match b {
            b'-' | b'.' | b' ' => '_',
            b => b.to_ascii_lowercase() as char,
        })
        .collect();
    if f.passwords.contains(&norm.as_str()) {
        return Some(Kind::Password);
    }
    if f.tokens.contains(&norm.as_str()) {
        return Some(Kind::Token);
    }
    if !f.general {
        return None;
    }
    let w = words(name);
    if w.is_empty() || w.len() > 8 {
        return None;
    }
    if w.iter().any(|x| NOT_SECRET_WORDS.contains(&x.as_str())) {
        return None;
    }
    let has = |s: &str| w.iter().any(|x| x == s);
    let last_word = w.last().map(String::as_str).unwrap_or("");
    let password_word = w.iter().any(|x| {
        matches!(
            x.as_str(),
            "password"
                | "passwd"
                | "passphrase"
                | "pwd"
                | "passwort"
                | "passw"
                | "pword"
                | "requirepass"
                | "masterauth"
                | "controlpass"
        ) || (x.ends_with("password") && x.len() <= 24)
            || (x.ends_with("passwd") && x.len() <= 20)
    }) || last_word == "pass"
        || last_word == "pw";
    if password_word {
        return Some(Kind::Password);
    }
    let token = has("token")
        || w.iter().any(|x| {
            (x.ends_with("token") && x.len() <= 20 && x != "tokenizer")
                || x == "apikey"
                || x == "secretkey"
                || x == "authtoken"
        })
        || has("secret")
        || (has("key")
            && w.iter().any(|x| {
                matches!(
                    x.as_str(),
                    "api"
                        | "app"
                        | "auth"
                        | "access"
                        | "secret"
                        | "private"
                        | "master"
                        | "encryption"
                        | "signing"
                        | "account"
                        | "client"
                        | "license"
                )
            }));
    if token && !has("csrf") {
        return Some(Kind::Token);
    }
    None
}

/// Exact values (lowercased) that are placeholders, not credentials.
const PLACEHOLDERS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "xxx",
    "xxxx",
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "redacted",
    "hidden",
    "masked",
    "test",
    "todo",
    "tbd",
    "fixme",
    "required",
    "optional",
    "string",
    "str",
    "value",
    "empty",
    "default",
    "token",
    "api_key",
    "apikey",
    "secret_key",
    "username",
    "user",
    "mypassword",
    "yourpassword",
    "your_password",
    "password_here",
    "put your unique phrase here",
    "foobared",
    "foobar",
    "notasecret",
    "not-a-secret",
    "insecure",
    "unset",
    "env",
    "auto",
    "0",
    "1",
    "off",
    "blank",
    "secretkey",
    "mysecret",
    "your-secret",
    "keytrace:allow",
];

/// Whether `v`, found under `name`, is kept as a credential of `kind`.
fn keep(kind: Kind, v: &[u8], name: &[u8]) -> bool {
    let v = v.trim_ascii();
    let min = match kind {
        Kind::Password => 4,
        Kind::Token => 8,
    };
    if v.len() < min || v.len() > 1024 {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    let ls = String::from_utf8_lossy(&lower);
    if PLACEHOLDERS.iter().any(|p| *p == ls) {
        return false;
    }
    // Template syntax and references to something else.
    const MARKERS: &[&str] = &[
        "${",
        "{{",
        "}}",
        "%(",
        "<%",
        "#{",
        "$(",
        "{%",
        "%s",
        "{}",
        "{0}",
        "env(",
        "env[",
        "environ",
        "getenv",
        "process.env",
        "settings.",
        "config(",
        "!vault",
        "!secret",
        "!env",
        "vault:",
        "ref+",
        "enc(",
        "{cipher}",
        "secretkeyref",
        "valuefrom",
        "lookup(",
        "example",
        "changeme",
        "placeholder",
        "xxxx",
        "****",
        "your_",
        "your-",
        "your ",
        "<your",
        "_here",
        "-here",
        " here",
        "dummy",
        "redacted",
        "replace",
        "insert",
        "fixme",
        "todo",
        "must-be-changed",
        "&lt;",
        "...",
        "\u{2026}",
        "changeit",
        "enc[",
    ];
    if MARKERS.iter().any(|m| ls.contains(m)) {
        return false;
    }
    let first = v[0];
    let last = v[v.len() - 1];
    // YAML tags (`!Ref`, `!Sub`, `!vault`, `!secret`): a reference, not a value.
    if first == b'!' && v.get(1).is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    if (first == b'<' && last == b'>')
        || (first == b'[' && last == b']')
        || (first == b'(' && last == b')')
    {
        return false;
    }
    if (first == b'%' && last == b'%')
        || (first == b'@' && last == b'@')
        || (v.starts_with(b"__") && v.ends_with(b"__"))
    {
        return false;
    }
    // `$VAR`, `$var` in shell-like contexts.
    if first == b'$'
        && v[1..].iter().all(|b| {
            b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_' || *b == b'{' || *b == b'}'
        })
    {
        return false;
    }
    // File paths and other references.
    for p in [
        &b"/"[..],
        b"./",
        b"../",
        b"~/",
        b"file:",
        b"classpath:",
        b"arn:",
        b"http://",
        b"https://",
        b"env:",
        b"vault:",
    ] {
        if lower.starts_with(p) {
            return false;
        }
    }
    if v.iter().all(|&b| b == first) {
        return false;
    }
    // A provider token with a wrong checksum is a look-alike here as everywhere.
    if super::checksum::failed_lookalike(v) {
        return false;
    }
    // The value repeats its name (`password: password`, `DB_PASSWORD=DB_PASSWORD`).
    let squash = |s: &[u8]| -> Vec<u8> {
        s.iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(|b| b.to_ascii_lowercase())
            .collect()
    };
    let sv = squash(v);
    if !sv.is_empty() && sv == squash(name) {
        return false;
    }
    if sv.is_empty() {
        return false;
    }
    match kind {
        Kind::Password => true,
        // A token is machine-made: more than one character class or enough entropy.
        Kind::Token => {
            if v.iter().any(u8::is_ascii_whitespace) {
                return false;
            }
            let alnum_classes = [
                v.iter().any(u8::is_ascii_lowercase),
                v.iter().any(u8::is_ascii_uppercase),
                v.iter().any(u8::is_ascii_digit),
            ]
            .iter()
            .filter(|x| **x)
            .count();
            if alnum_classes < 2 {
                return false; // a resource name (`api-basic-auth-users`), not a key
            }
            let classes = [
                v.iter().any(u8::is_ascii_lowercase),
                v.iter().any(u8::is_ascii_uppercase),
                v.iter().any(u8::is_ascii_digit),
                v.iter().any(|b| !b.is_ascii_alphanumeric()),
            ]
            .iter()
            .filter(|x| **x)
            .count();
            classes >= 2 && shannon_entropy(v) >= 2.8
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass() -> (RulePack, ConfigPass) {
        let pack = RulePack::from_rules(rules());
        let cp = ConfigPass::new(&pack).expect("config rules present");
        (pack, cp)
    }

    fn found(path: &str, text: &str) -> Vec<(String, String)> {
        let (pack, cp) = pass();
        let mut out = Vec::new();
        cp.scan(text.as_bytes(), path, true, &mut out);
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
}
