"""Password and token generation parameters. Character sets and lengths, not secrets."""
import secrets
import string

PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_SYMBOLS = "!@#%^&*-_=+?"
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
TOKEN_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
API_KEY_ALPHABET = string.ascii_letters + string.digits
SECRET_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32, for TOTP secrets
RECOVERY_CODE_ALPHABET = "23456789CFGHJMPQRVWX"
PASSWORD_BLOCKLIST_URL = "https://acme.test/static/top-100k-passwords.txt"
PASSWORD_HASH_PARAMS = "m=65536,t=3,p=4"
TOKEN_FORMAT = "kt_live_{random32}"


def generate_password(length: int = 20) -> str:
    alphabet = PASSWORD_ALPHABET + PASSWORD_SYMBOLS
    return "".join(secrets.choice(alphabet) for _ in range(length))


def generate_recovery_codes(n: int = 10) -> list[str]:
    return ["".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(10)) for _ in range(n)]
