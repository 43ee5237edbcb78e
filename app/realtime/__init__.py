"""Realtime push: services publish small messages after commit; `/ws` delivers them.

    from app.realtime import publish
    publish("config:project_status", "entity_updated", entity_type="configurable_entity",
            entity_id=str(entry.id))

Topics are per tenant: a message published while tenant T is in scope reaches only sockets
of T that subscribed to that topic (plus `tenant` and `user:<id>` channels). Pages declare
their topics (`data-realtime-topics` on <body>), and any element with
`data-realtime-topic="<topic>" hx-get=... hx-trigger="realtime"` is re-fetched on a message.
"""

from app.realtime.publish import publish, publish_to_user  # noqa: F401
