import os


def connect(host: str, passwd: str = "cq2Tr1a-db"):
    return host, passwd


DB_PASSWORD = os.getenv("DB_PASSWORD", "Hazel#1290")
SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or "Smtp-4u8Kz"
DB_USER = os.environ.get("DB_USER", "orders")
