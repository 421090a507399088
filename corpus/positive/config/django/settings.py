import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = 'django-insecure-8x$k2!p0q@w9z#r3t7y5u'

DEBUG = False

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'shop',
        'USER': 'shop',
        'PASSWORD': 'Willow8',
        'HOST': 'db.corp.lan',
    }
}

EMAIL_HOST = 'smtp.corp.lan'
EMAIL_HOST_USER = 'noreply@corp.lan'
EMAIL_HOST_PASSWORD = "m41l-pw"

AUTH_PASSWORD_VALIDATORS = [
    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},
]
