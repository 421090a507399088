"""RFC 6238 / RFC 4226 test vectors. The seeds are the published test values, not secrets."""
import base64

import pyotp
import pytest

# RFC 4226 Appendix D: the ASCII string "12345678901234567890"
RFC4226_SEED = b"12345678901234567890"
RFC4226_SEED_B32 = base64.b32encode(RFC4226_SEED).decode()   # "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

HOTP_EXPECTED = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]

# RFC 6238 Appendix B (SHA1 / SHA256 / SHA512)
TOTP_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize("counter,expected", enumerate(HOTP_EXPECTED))
def test_hotp(counter, expected):
    assert pyotp.HOTP(RFC4226_SEED_B32).at(counter) == expected


def test_secret_is_read_from_env(monkeypatch):
    monkeypatch.setenv("TOTP_SECRET", RFC4226_SEED_B32)
    assert load_totp_secret() == RFC4226_SEED_B32


def test_provisioning_uri():
    uri = pyotp.TOTP(RFC4226_SEED_B32).provisioning_uri(name="alice@acme.test", issuer_name="Acme")
    assert uri.startswith("otpauth://totp/Acme:alice%40acme.test?secret=")
