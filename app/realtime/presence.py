"""Who is looking at the same page: a heartbeat every 30 s, gone after 5 minutes.

Entries are per open socket (one person may have the page open in two tabs), listed per
person. Kept in Redis when configured (so every web process sees everyone), else here.
"""

import json
import threading
import time

STALE_AFTER = 300  # seconds without a heartbeat


class LocalPresence:
    def __init__(self):
        self._pages: dict[str, dict[str, dict]] = {}
        self._lock = threading.Lock()

    def touch(self, key: str, socket_id: str, user_id: str, name: str) -> None:
        entry = {"user_id": user_id, "name": name, "ts": time.time()}
        with self._lock:
            self._pages.setdefault(key, {})[socket_id] = entry

    def leave(self, key: str, socket_id: str) -> None:
        with self._lock:
            self._pages.get(key, {}).pop(socket_id, None)

    def viewers(self, key: str) -> list[dict]:
        now = time.time()
        with self._lock:
            entries = dict(self._pages.get(key, {}))
        return _fresh(entries, now)


class RedisPresence:
    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url)

    def _key(self, key: str) -> str:
        return f"studio:presence:{key}"

    def touch(self, key: str, socket_id: str, user_id: str, name: str) -> None:
        entry = {"user_id": user_id, "name": name, "ts": time.time()}
        self._redis.hset(self._key(key), socket_id, json.dumps(entry))
        self._redis.expire(self._key(key), STALE_AFTER * 2)

    def leave(self, key: str, socket_id: str) -> None:
        self._redis.hdel(self._key(key), socket_id)

    def viewers(self, key: str) -> list[dict]:
        raw = self._redis.hgetall(self._key(key))
        entries = {k.decode(): json.loads(v) for k, v in raw.items()}
        return _fresh(entries, time.time())


def _fresh(entries: dict[str, dict], now: float) -> list[dict]:
    """One line per person seen in the last five minutes, whatever number of tabs."""
    people = {
        data["user_id"]: {"user_id": data["user_id"], "name": data["name"]}
        for data in entries.values()
        if now - data["ts"] < STALE_AFTER
    }
    return sorted(people.values(), key=lambda viewer: viewer["name"])


_stores: dict[str, object] = {}
_stores_lock = threading.Lock()


def presence_for(redis_url: str | None):
    key = redis_url or "local"
    with _stores_lock:
        if key not in _stores:
            _stores[key] = RedisPresence(redis_url) if redis_url else LocalPresence()
        return _stores[key]
