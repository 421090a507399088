import pytest

from app.auth import get_password_hash, verify_password, rotate_token


def test_password_hash_roundtrip():
    hashed = get_password_hash("correct horse battery staple")
    assert verify_password("correct horse battery staple", hashed)


def test_wrong_password_rejected():
    assert not verify_password("wrong", get_password_hash("right"))


def test_rotate_token_returns_new_value(monkeypatch):
    monkeypatch.setenv("API_TOKEN", "test-token")
    assert rotate_token("test-token") != "test-token"


@pytest.mark.parametrize("password", ["", "short", "a" * 7])
def test_password_too_short(password):
    with pytest.raises(ValueError, match="Password must be at least 12 characters"):
        validate(password)


def test_secret_key_from_env(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "dummy-secret-for-tests")
    assert load_settings().secret_key == "dummy-secret-for-tests"


def test_api_key_is_masked_in_repr():
    key = ApiKey(id="6170485c-be58-4ac0-957d-7a1e0b38f41b", secret="<hidden>")
    assert "hidden" not in repr(key)


def test_token_expiry():
    assert PASSWORD_RESET_TOKEN_EXPIRY == 3600


def test_token_header_parsing():
    req = FakeRequest(headers={"Authorization": "Bearer test-token"})
    assert bearer_from_request(req) == "test-token"
