import os

import stripe
import shopify
import plaid
from plaid.api import plaid_api

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
STRIPE_WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
SHOPIFY_ADMIN_TOKEN = os.environ.get("SHOPIFY_ADMIN_TOKEN")
SQUARE_ACCESS_TOKEN = os.environ["SQUARE_ACCESS_TOKEN"]
PAYPAL_CLIENT_SECRET = os.environ["PAYPAL_CLIENT_SECRET"]
paypal_secret = settings.PAYPAL_CLIENT_SECRET
adyen_hmac_key = os.environ["ADYEN_HMAC_KEY"]
coinbase_api_secret = os.environ["COINBASE_API_SECRET"]
plaid_secret = os.environ["PLAID_SECRET"]

configuration = plaid.Configuration(
    host=plaid.Environment.Sandbox,
    api_key={"clientId": os.environ["PLAID_CLIENT_ID"], "secret": plaid_secret},
)

STRIPE_KEY_RE = r"\b(sk_live_[A-Za-z0-9]{24,247})\b"
SHOPIFY_TOKEN_PREFIXES = ("shpat_", "shpca_", "shppa_", "shpss_")
SQUARE_PREFIXES = ("EAAA", "sq0atp-", "sq0csp-")
BRAINTREE_TOKEN_PREFIX = "access_token$production$"
PLAID_TOKEN_PREFIXES = ("access-sandbox-", "access-development-", "access-production-")


def verify_stripe(payload: bytes, sig_header: str):
    return stripe.Webhook.construct_event(payload, sig_header, STRIPE_WEBHOOK_SECRET)


def is_live_key(key: str) -> bool:
    return key.startswith(("sk_live_", "rk_live_"))
