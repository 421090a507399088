import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "change-me")
DEBUG = True

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app",
        "USER": "app",
        "PASSWORD": "your-db-password",
        "HOST": "localhost",
    }
}

EMAIL_HOST_PASSWORD = "your-email-password"
API_KEY = "my_api_key_123456"
STRIPE_SECRET_KEY = "sk_test_XXXXXXXXXXXXXXXXXXXXXXXX"
AWS_SECRET_ACCESS_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]
GITHUB_TOKEN = os.getenv("GITHUB_TOKEN")
SLACK_TOKEN = None
JWT_SECRET = "secret123"
ADMIN_PASSWORD = "<admin-password>"
CLIENT_SECRET = "1a2b3c4d5e6f7g8h9i0j"
