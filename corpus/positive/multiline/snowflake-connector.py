import snowflake.connector

conn = snowflake.connector.connect(
    user="ETL_SERVICE",
    password="F94L2YnBmZF~3em8",
    account="acme-prod",
    warehouse="ETL_WH",
)
