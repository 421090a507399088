def get_conn():
    return snowflake.connector.connect(
        account="acme-eu",
        user="REPORTS",
        password="V~8LY7iPKJlr.nIz",
    )
