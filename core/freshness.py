"""
Freshness anchored in the database: whether a stored response may still be served.

Every content change advances one counter, the content clock, and gives each cache tag it touches
(`core.cache_tags`) the clock's new value — rows of `TagVersion`, written in the transaction of the
change itself, so the record commits or rolls back with the content. Nothing is sent anywhere: no
message to lose when Redis stalls or is down, no process that has to hear about it.

A response being made reads the clock first (`clock()`), before any content, and is stored with that
reading. It is still fresh while none of its tags has a version above it (`changed_since()`, one
indexed query). Why this is exact, on PostgreSQL and on SQLite alike:
- A change advances the clock with an UPDATE of one row, which it holds until it commits. A render
  that read the clock before the change committed read the old value, so every tag the change
  touched ends up above its stamp: stale, as it may have read the old content.
- A render that read the clock after the commit reads the new value or later, so the change does
  not count against it: its content already shows the change.
- Changes are serialised on the clock's row only from that UPDATE to their commit (SQLite
  serialises writers anyway).

Redis, or any cache, only ever holds copies stamped with a clock reading; losing or keeping them
cannot make stale content fresh.
"""

from django.db import connection, transaction
from django.db.models import F

from .models import TagVersion

CLOCK = "*clock*"


def clock() -> int:
    """The content clock now: stamp a response with it before reading what the response is made of."""
    version = TagVersion.objects.filter(tag=CLOCK).values_list("version", flat=True).first()
    return version or 0


def record_change(*tags: str) -> int:
    """
    Advance the content clock and give `tags` its new value, in the caller's transaction.

    Call it in the transaction that changes the content (signal handlers run there), so the record
    commits with the change, or not at all. Returns the new clock value.
    """
    with transaction.atomic():
        advanced = TagVersion.objects.filter(tag=CLOCK).update(version=F("version") + 1)
        if not advanced:  # a database the clock was never started in (one emptied by a test, say)
            TagVersion.objects.bulk_create([TagVersion(tag=CLOCK, version=0)], ignore_conflicts=True)
            TagVersion.objects.filter(tag=CLOCK).update(version=F("version") + 1)
        now = TagVersion.objects.get(tag=CLOCK).version
        TagVersion.objects.bulk_create(
            [TagVersion(tag=tag, version=now) for tag in set(tags)],
            update_conflicts=True,
            unique_fields=["tag"],
            update_fields=["version"],
        )
    return now


def changed_since(stamp: int, tags: list[str]) -> bool:
    """
    Whether any of `tags` changed after the clock read `stamp`.

    Asked on every cache hit, so in plain SQL: one primary-key lookup per tag, no ORM on the hot path.
    """
    if not tags:
        return False
    table = connection.ops.quote_name(TagVersion._meta.db_table)
    placeholders = ", ".join(["%s"] * len(tags))
    query = f"SELECT 1 FROM {table} WHERE tag IN ({placeholders}) AND version > %s LIMIT 1"  # noqa: S608 - no value in it
    with connection.cursor() as cursor:
        cursor.execute(query, [*tags, stamp])
        return cursor.fetchone() is not None
