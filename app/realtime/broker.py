"""Fan-out of realtime messages: in-process, or across processes through Redis pub/sub."""

import json
import logging
import threading
from collections import defaultdict
from collections.abc import Callable

log = logging.getLogger(__name__)
PREFIX = "studio:rt:"

Callback = Callable[[str, dict], None]


class LocalBroker:
    """One process: subscribers are called directly."""

    def __init__(self):
        self._subscribers: dict[str, set[Callback]] = defaultdict(set)
        self._lock = threading.Lock()

    def subscribe(self, channels: list[str], callback: Callback) -> None:
        with self._lock:
            for channel in channels:
                self._subscribers[channel].add(callback)

    def unsubscribe(self, channels: list[str], callback: Callback) -> None:
        with self._lock:
            for channel in channels:
                self._subscribers[channel].discard(callback)
                if not self._subscribers[channel]:
                    del self._subscribers[channel]

    def publish(self, channel: str, message: dict) -> None:
        self.deliver(channel, message)

    def deliver(self, channel: str, message: dict) -> None:
        with self._lock:
            callbacks = list(self._subscribers.get(channel, ()))
        for callback in callbacks:
            try:
                callback(channel, message)
            except Exception:  # a dead socket must not stop the others
                log.exception("realtime subscriber failed")


class RedisBroker(LocalBroker):
    """Many processes: publish to Redis; one listener thread per process delivers locally."""

    def __init__(self, url: str):
        super().__init__()
        import redis

        self._redis = redis.Redis.from_url(url)
        self._listener: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def subscribe(self, channels, callback) -> None:
        self._ensure_listener()
        super().subscribe(channels, callback)

    def publish(self, channel: str, message: dict) -> None:
        self._redis.publish(PREFIX + channel, json.dumps(message))

    def _ensure_listener(self) -> None:
        with self._start_lock:
            if self._listener is not None and self._listener.is_alive():
                return
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            pubsub.psubscribe(PREFIX + "*")
            self._listener = threading.Thread(
                target=self._listen, args=(pubsub,), name="realtime-redis", daemon=True
            )
            self._listener.start()

    def _listen(self, pubsub) -> None:
        for item in pubsub.listen():
            try:
                channel = item["channel"].decode()[len(PREFIX) :]
                self.deliver(channel, json.loads(item["data"]))
            except Exception:
                log.exception("bad realtime message from Redis")


_brokers: dict[str, LocalBroker] = {}
_brokers_lock = threading.Lock()


def broker_for(redis_url: str | None) -> LocalBroker:
    """One broker per process and Redis URL (tests may run several apps)."""
    key = redis_url or "local"
    with _brokers_lock:
        if key not in _brokers:
            _brokers[key] = RedisBroker(redis_url) if redis_url else LocalBroker()
        return _brokers[key]
