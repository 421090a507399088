import os

# Reads credentials from the environment; the literals here are keys, labels and
# defaults that are not passwords.
DB_PASSWORD = os.getenv("DB_PASSWORD", "")
DB_HOST = os.getenv("DB_HOST", "db.internal")
user = os.environ.get("DB_USER") or "Orders-Svc1"
props = {}
props.setdefault("mail.smtp.host", "smtp-relay-2")


def label(password_label: str = "Enter-Password"):
    return password_label


def check(password):
    return password != ""
