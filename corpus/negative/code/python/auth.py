"""Authentication helpers. No credentials live in this module."""
import getpass
import hashlib
import hmac
import os
import secrets

from django.conf import settings
from passlib.context import CryptContext

pwd_context = CryptContext(schemes=["argon2", "bcrypt"], deprecated="auto")

SECRET_KEY = os.environ["SECRET_KEY"]
API_TOKEN = os.environ.get("API_TOKEN", "")
DB_PASSWORD = os.getenv("DB_PASSWORD")
STRIPE_KEY = settings.STRIPE_SECRET_KEY
JWT_ALGORITHM = "HS256"
TOKEN_TYPE_BEARER = "Bearer"
PASSWORD_RESET_TOKEN_EXPIRY = 3600
ACCESS_TOKEN_EXPIRE_MINUTES = 30
MIN_PASSWORD_LENGTH = 12
PASSWORD_FIELD = "password"
SECRET_HEADER = "X-Hub-Signature-256"
TOKEN_URL = "https://oauth2.googleapis.com/token"


def get_password_hash(password: str) -> str:
    return pwd_context.hash(password)


def verify_password(plain_password: str, hashed_password: str) -> bool:
    return pwd_context.verify(plain_password, hashed_password)


def prompt_password() -> str:
    password = getpass.getpass("Password: ")
    confirm = getpass.getpass("Repeat password: ")
    if password != confirm:
        raise SystemExit("passwords do not match")
    return password


def generate_api_key(prefix: str = "ak_live_") -> str:
    return prefix + secrets.token_urlsafe(32)


def rotate_token(token: str) -> str:
    """Revoke `token` and return a fresh one."""
    revoke(token)
    return secrets.token_hex(32)


def bearer_from_request(request) -> str | None:
    auth = request.headers.get("Authorization", "")
    token = request.headers["Authorization"].removeprefix("Bearer ") if auth else None
    return token


def verify_github_signature(payload: bytes, signature: str) -> bool:
    secret = settings.GITHUB_WEBHOOK_SECRET.encode()
    expected = "sha256=" + hmac.new(secret, payload, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def revoke(token: str) -> None:
    ...


def connect():
    import psycopg
    return psycopg.connect(host="db", user="app", password=os.environ["PGPASSWORD"], dbname="app")


def load_private_key(path=os.path.expanduser("~/.ssh/id_ed25519")):
    with open(path, "rb") as f:
        return f.read()


password_prompt = "Enter your password"
api_key = None
secret = ""
token: str | None = None
auth_token = os.environ.get("AUTH_TOKEN")
