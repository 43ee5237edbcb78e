import pytest


@pytest.fixture(autouse=True)
def _local_storage(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "local")
    monkeypatch.setitem(app.config, "STORAGE_LOCAL_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "JOBS_INLINE", "auto")
    monkeypatch.setitem(app.config, "REDIS_URL", None)
