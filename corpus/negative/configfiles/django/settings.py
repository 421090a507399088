import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'PASSWORD': os.environ.get('DB_PASSWORD', ''),
        'USER': env('DB_USER'),
    }
}
EMAIL_HOST_PASSWORD = config('EMAIL_HOST_PASSWORD')
AUTH_PASSWORD_VALIDATORS = [
    {'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'},
]
PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']
if password == 'secret':
    pass
