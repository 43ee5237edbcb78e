import pytest

from config import DEV_SECRET, ProductionConfig, config_for


@pytest.mark.parametrize("secret", [None, DEV_SECRET, "short-secret"])
def test_production_refuses_default_or_short_secrets(monkeypatch, secret):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@localhost/x")
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig.validate()


def test_production_needs_a_database_url(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        ProductionConfig.validate()


def test_unknown_environment_is_refused():
    with pytest.raises(RuntimeError, match="APP_ENV"):
        config_for("staging-typo")


def test_postgres_urls_use_psycopg3(monkeypatch):
    from config import _database_url

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/studio")
    assert _database_url() == "postgresql+psycopg://u:p@db/studio"
