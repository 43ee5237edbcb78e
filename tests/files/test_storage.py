"""The same storage suite against the local folder and an S3 server on loopback (moto)."""

import io
import socket
import urllib.request

import pytest

from app.files.storage import LocalStorage, S3Storage, StorageError, tenant_key


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "uploads")
    endpoint = request.getfixturevalue("s3_server")
    backend = S3Storage(
        "studio-test",
        region="us-east-1",
        endpoint_url=endpoint,
        access_key="test",
        secret_key="test",
    )
    backend.client.create_bucket(Bucket="studio-test")
    return backend


def test_save_open_exists_size_delete(storage):
    key = tenant_key("11111111-1111-1111-1111-111111111111", "files", "a", "original.txt")
    assert key.startswith("11111111-1111-1111-1111-111111111111/")
    assert not storage.exists(key)
    storage.save(key, io.BytesIO("שלום".encode()), "text/plain")
    assert storage.exists(key)
    assert storage.size(key) == len("שלום".encode())
    with storage.open(key) as fh:
        assert fh.read().decode() == "שלום"
    storage.delete(key)
    assert not storage.exists(key)
    with pytest.raises(FileNotFoundError):
        storage.open(key)


def test_overwrite_replaces_content(storage):
    key = tenant_key("t", "x.bin")
    storage.save(key, io.BytesIO(b"one"), "application/octet-stream")
    storage.save(key, io.BytesIO(b"two"), "application/octet-stream")
    with storage.open(key) as fh:
        assert fh.read() == b"two"


def test_large_stream(storage):
    key = tenant_key("t", "big.bin")
    data = b"x" * (3 * 1024 * 1024 + 7)
    storage.save(key, io.BytesIO(data), "application/octet-stream")
    assert storage.size(key) == len(data)


@pytest.mark.parametrize("bad", ["../etc/passwd", "/abs", "a/../../b", "a\\b"])
def test_bad_keys_are_refused(storage, bad):
    with pytest.raises(StorageError):
        storage.save(bad, io.BytesIO(b"x"), None)


def test_tenant_key_refuses_traversal():
    for part in ("..", "", "a\\b"):
        with pytest.raises(StorageError):
            tenant_key("t", part)


def test_presigned_url(storage):
    key = tenant_key("t", "doc.pdf")
    storage.save(key, io.BytesIO(b"%PDF-1.4"), "application/pdf")
    url = storage.presigned_url(key, expires_in=60, download_name="מסמך.pdf")
    if storage.name == "local":
        assert url is None
        return
    with urllib.request.urlopen(url) as response:  # noqa: S310 (loopback test server)
        assert response.read() == b"%PDF-1.4"
