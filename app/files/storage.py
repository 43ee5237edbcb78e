"""One storage interface, two backends: a local folder (default) and S3 (boto3).

    from app.files.storage import get_storage, tenant_key
    storage = get_storage()
    key = tenant_key(tenant_id, "exports", "data.zip")   # "<tenant_id>/exports/data.zip"
    storage.save(key, fileobj, "application/zip")
    with storage.open(key) as fh: ...
    storage.exists(key); storage.size(key); storage.delete(key)
    storage.presigned_url(key, expires_in=300, download_name="x.zip")  # S3 only, else None

Keys always start with the owning tenant's id (`tenant_key`), so one tenant's files can be
listed, exported or deleted by prefix and never collide with another's.
"""

import shutil
import uuid
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from flask import current_app


class StorageError(RuntimeError):
    pass


def tenant_key(tenant_id: uuid.UUID | str, *parts: str) -> str:
    """`<tenant_id>/<part>/<part>`: the only way keys are built."""
    clean = []
    for part in (str(tenant_id), *parts):
        part = str(part).strip("/")
        if not part or part in (".", "..") or "\\" in part or "/.." in f"/{part}":
            raise StorageError(f"Bad storage key part {part!r}")
        clean.append(part)
    return "/".join(clean)


def _check_key(key: str) -> str:
    path = PurePosixPath(key)
    if not key or path.is_absolute() or ".." in path.parts or "\\" in key:
        raise StorageError(f"Bad storage key {key!r}")
    return key


class LocalStorage:
    """Files under a folder (default instance/uploads); the key is the relative path."""

    name = "local"

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / _check_key(key)).resolve()
        if self.root not in path.parents:
            raise StorageError(f"Bad storage key {key!r}")
        return path

    def save(self, key: str, fileobj: BinaryIO, content_type: str | None = None) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{uuid.uuid4().hex}.part")
        with open(tmp, "wb") as out:
            shutil.copyfileobj(fileobj, out, 1024 * 1024)
        tmp.replace(path)  # atomic: readers never see half a file

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError as exc:
            raise FileNotFoundError(key) from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        return self._path(key).stat().st_size

    def presigned_url(self, key: str, expires_in: int = 300, download_name: str | None = None):
        return None  # local files are served by the app (app.files.routes)


class S3Storage:
    """An S3 bucket (AWS or any S3-compatible server) through boto3."""

    name = "s3"

    def __init__(self, bucket, region=None, endpoint_url=None, access_key=None, secret_key=None):
        import boto3
        from botocore.config import Config as BotoConfig

        if not bucket:
            raise StorageError("S3_BUCKET is not set")
        self.bucket = bucket
        self.client = boto3.client(
            "s3",
            region_name=region or "us-east-1",
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=BotoConfig(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def save(self, key: str, fileobj: BinaryIO, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        self.client.upload_fileobj(fileobj, self.bucket, _check_key(key), ExtraArgs=extra)

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=_check_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from exc
            raise
        return response["Body"]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=_check_key(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=_check_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def size(self, key: str) -> int:
        head = self.client.head_object(Bucket=self.bucket, Key=_check_key(key))
        return int(head["ContentLength"])

    def presigned_url(self, key: str, expires_in: int = 300, download_name: str | None = None):
        params = {"Bucket": self.bucket, "Key": _check_key(key)}
        if download_name:
            from urllib.parse import quote

            params["ResponseContentDisposition"] = (
                f"attachment; filename*=UTF-8''{quote(download_name)}"
            )
        return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)


def storage_from_config(config) -> LocalStorage | S3Storage:
    backend = (config.get("STORAGE_BACKEND") or "local").lower()
    if backend == "s3":
        return S3Storage(
            config.get("S3_BUCKET"),
            region=config.get("S3_REGION"),
            endpoint_url=config.get("S3_ENDPOINT_URL"),
            access_key=config.get("S3_ACCESS_KEY"),
            secret_key=config.get("S3_SECRET_KEY"),
        )
    if backend == "local":
        return LocalStorage(config.get("STORAGE_LOCAL_DIR"))
    raise StorageError(f"Unknown STORAGE_BACKEND {backend!r}")


def get_storage() -> LocalStorage | S3Storage:
    """The app's storage backend, built once per app and configuration."""
    app = current_app._get_current_object()
    signature = tuple(
        app.config.get(name)
        for name in (
            "STORAGE_BACKEND",
            "STORAGE_LOCAL_DIR",
            "S3_BUCKET",
            "S3_REGION",
            "S3_ENDPOINT_URL",
            "S3_ACCESS_KEY",
        )
    )
    cached = app.extensions.get("studio_storage")
    if cached is None or cached[0] != signature:
        cached = (signature, storage_from_config(app.config))
        app.extensions["studio_storage"] = cached
    return cached[1]
