//! The formats the config-file pass knows: for each, its rule slug and name, how it is
//! read, which field names hold passwords and tokens, its examples, and the paths and
//! content signatures that recognise it. Data only; the pass itself is in the parent.

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Password,
    Token,
}

/// How a format is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
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
pub(super) struct Format {
    /// Rule id part: `config.<slug>.password`.
    pub(super) slug: &'static str,
    /// Human name, for rule names.
    pub(super) name: &'static str,
    /// Provider slug for rotation guidance.
    pub(super) provider: &'static str,
    pub(super) syntax: Syntax,
    /// Field names (normalised: lowercase, `_` separated) this format uses for passwords
    /// beyond the general vocabulary.
    pub(super) passwords: &'static [&'static str],
    /// Field names this format uses for tokens and secret keys.
    pub(super) tokens: &'static [&'static str],
    /// Whether the general vocabulary of password and token names applies.
    pub(super) general: bool,
    /// Where the tool documents the file.
    pub(super) reference: &'static str,
    /// Examples for the password rule (each yields a finding at the format's first path).
    pub(super) examples: &'static [&'static str],
    /// Examples for the token rule (empty: the format has no token rule).
    pub(super) token_examples: &'static [&'static str],
    /// Texts that must not yield a finding.
    pub(super) negatives: &'static [&'static str],
    /// A path this format is recognised at, where the unit tests run its examples.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(super) sample_path: &'static str,
}

pub(super) const NONE: &[&str] = &[];

/// The formats, from the tools' own documentation of where they keep credentials.
pub(super) static FORMATS: &[Format] = &[
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
        token_examples: &["//registry.npmjs.org/:_authToken=q7Rt2vXw9LmK4pNz", "//npm.corp.lan/:_authToken=\"Zz9-Kk3_Pp7\""],
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
        token_examples: &["npmAuthToken: npm-tok-8842fa", "    npmAuthToken: \"0a9b8c7d6e5fQ2\""],
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
        token_examples: &["[s3]\ntype = s3\nsecret_access_key = wJalrXUtnFEMIK7MDENGbPxRfiCY\n", "[b2]\ntype = b2\nkey = K0017sQpW2rTzX8vNc4m\n"],
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
        token_examples: &["5f0a8c3e9b1d7f2a4c6e8b0d2f4a6c8e\n", "9c41e07b2d8f53a6e1c0b4d97a2f6e38"],
        negatives: &["\n", "# no key", "0123456789abcdef0123456789abcdef"],
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
        token_examples: &["<secret>{AQAAABAAAAAgPT7JbBVgyWiivobt0CJEduLyP0lB3uyTj+D5WBvVk6jyG6BQFPYGN4Z3VJN2JLDm}</secret>", "<secret>9f8e7d6c5b4aR7</secret>"],
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
        slug: "docs",
        name: "documentation (Markdown, reStructuredText, AsciiDoc)",
        provider: "config",
        syntax: Syntax::Lines,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://cwe.mitre.org/data/definitions/260.html",
        examples: &["```\nexport DB_PASSWORD=Gullwing7\n```", "    -e ADMIN_PASSWORD=Orca-2021 \\"],
        token_examples: NONE,
        negatives: &["Set password: to the value you chose.", "DB_PASSWORD=<your password>", "    password = request.form['password']"],
        sample_path: "docs/install.md",
    },
    Format {
        slug: "source",
        name: "source code (string literal under a password name)",
        provider: "config",
        syntax: Syntax::Code,
        passwords: NONE,
        tokens: NONE,
        general: true,
        reference: "https://cwe.mitre.org/data/definitions/259.html",
        examples: &["db.Password = \"Juniper42\"", "conn = connect(host=h, user=\"app\", password=\"tk-pw-9\")", "client.setPassword(\"Heron-77\");"],
        token_examples: &["  consumer_secret: 'j49sk3J29djd',", "  signingSecret: \"rLABDrx87et5KvRHVUgTm3pe\","],
        negatives: &["password = input(\"Password: \")", "if password == \"\" {", "label := \"Enter your password\"", "setPassword(\"${PW}\")", "tokenList: \"tokenList__Fjgh3\",", "sessionTokenFmt = \"sess-%.6d-Vn3kT9pL\""],
        sample_path: "src/db/client.go",
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
