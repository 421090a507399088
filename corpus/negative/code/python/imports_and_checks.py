"""Imports and environment checks whose names hold provider words; no credentials."""
from github.CodeSecurityConfigRepository import CodeSecurityConfigRepository
from github.SecretScanningAlert import SecretScanningAlert


def preconditions(check_if_environment_variable_exists):
    alchemy_env_var_exists = check_if_environment_variable_exists("ALCHEMY_API_KEY")
    return alchemy_env_var_exists
