# Excerpt of sqlalchemy/sqlalchemy test/dialect/mssql/test_engine.py lines 225-265 at commit f35da7e2b9349a08b8de1f6bd3b07c8bf8616790 (MIT).
# Real product code with no secret: it handles credentials without holding one.
                "UID%3Ded%3BPWD%3Dpass%2Bword"
            ),
            "DSN=mydsn;UID=ed;PWD=pass+word",
            ("DSN=mydsn;UID=ed;PWD=pass+word",),
            "",
        ),
        (
            "plus_for_space",
            (
                "mssql+pyodbc:///?odbc_connect=DSN%3Dmydsn%3B"
                "UID%3Ded%3BPWD%3Dpass+word"
            ),
            "DSN=mydsn;UID=ed;PWD=pass word",
            ("DSN=mydsn;UID=ed;PWD=pass word",),
            "",
        ),
        (
            "issue_11250_breaking_change",
            (
                "mssql+pyodbc:///?odbc_connect=DSN%3Dmydsn%3B"
                "UID%3Ded%3BPWD%3Dpass%252Bword"
            ),
            "DSN=mydsn;UID=ed;PWD=pass%2Bword",
            ("DSN=mydsn;UID=ed;PWD=pass%2Bword",),
            "pre-11250 would unquote_plus() to PWD=pass+word",
        ),
        argnames="quoted_url, value_in_url_object, connection_string",
        id_="iaaai",
    )
    def test_pyodbc_odbc_connect_with_pwd_plus(
        self, quoted_url, value_in_url_object, connection_string
    ):
        dialect = pyodbc.dialect()
        u = url.make_url(quoted_url)
        eq_(value_in_url_object, u.query["odbc_connect"])
        connection = dialect.create_connect_args(u)
        eq_(
            (
                (connection_string),
                {},
            ),
