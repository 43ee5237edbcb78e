"""Configuration classes, read from the environment.

`APP_ENV` picks the class (development by default, so `make run` works out of the box);
production refuses to start with a default or short secret.
"""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET = "dev-only-secret-key-change-me-in-production-0000"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'studio.db'}"
    # Hosting platforms hand out postgres:// URLs; we speak psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    APP_ENV = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    APP_URL = os.environ.get("APP_URL", "http://127.0.0.1:5000")

    # Sessions: the access window is 24 h, "remember me" keeps a session for 30 days.
    SESSION_TTL = timedelta(hours=24)
    REMEMBER_TTL = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    MAX_CONCURRENT_SESSIONS = 5

    # Files: uploads may be up to MAX_UPLOAD_MB; every other request body stays under
    # FORM_MAX_CONTENT_LENGTH (enforced per request by app.files.limits).
    MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "100"))
    FORM_MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    MAX_CONTENT_LENGTH = (MAX_UPLOAD_MB + 5) * 1024 * 1024
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local").lower()  # local | s3
    STORAGE_LOCAL_DIR = os.environ.get("STORAGE_LOCAL_DIR") or str(INSTANCE_DIR / "uploads")
    S3_BUCKET = os.environ.get("S3_BUCKET") or None
    S3_REGION = os.environ.get("S3_REGION") or None
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None
    S3_ACCESS_KEY = os.environ.get("S3_ACCESS_KEY") or None
    S3_SECRET_KEY = os.environ.get("S3_SECRET_KEY") or None

    # Jobs: "auto" runs them inline in the web process when REDIS_URL is not set.
    JOBS_INLINE = os.environ.get("JOBS_INLINE", "auto").lower()  # auto | 1 | 0

    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "he"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jerusalem"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    SUPPORTED_LOCALES = ("he", "en")

    MAIL_FROM = os.environ.get("MAIL_FROM", "Studio OS <no-reply@studio-os.local>")
    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", True)
    SMTP_SSL = _bool("SMTP_SSL", False)

    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    DEV_MAIL_ENABLED = False
    LOGIN_MAX_ATTEMPTS = 5
    LOCKOUT_DURATION = timedelta(minutes=15)

    @classmethod
    def validate(cls) -> None:
        """Called at start-up; production overrides it to refuse unsafe settings."""


class DevelopmentConfig(Config):
    APP_ENV = "development"
    DEV_MAIL_ENABLED = True


class TestingConfig(Config):
    APP_ENV = "testing"
    TESTING = True
    DEV_MAIL_ENABLED = True
    SECRET_KEY = "testing-secret-key-that-is-long-enough-000000"


class ProductionConfig(Config):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)

    @classmethod
    def validate(cls) -> None:
        secret = os.environ.get("SECRET_KEY", "")
        if not secret or secret == DEV_SECRET or len(secret) < 32:
            raise RuntimeError("SECRET_KEY must be set to a random value of at least 32 characters")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")
        if cls.STORAGE_BACKEND not in ("local", "s3"):
            raise RuntimeError("STORAGE_BACKEND must be 'local' or 's3'")
        if cls.STORAGE_BACKEND == "s3" and not cls.S3_BUCKET:
            raise RuntimeError("S3_BUCKET must be set when STORAGE_BACKEND is 's3'")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(env: str | None = None) -> type[Config]:
    name = (env or os.environ.get("APP_ENV") or "development").lower()
    if name not in CONFIGS:
        raise RuntimeError(f"Unknown APP_ENV {name!r}; use one of {', '.join(CONFIGS)}")
    return CONFIGS[name]
