"""Fixed-window rate limits kept in the database, shared by every worker of the site.

    from aioffice.core.ratelimit import hit, client_key
    if not hit("portal.signup", client_key(request), limit=5, window=3600):
        ...  # answer 429, or the same neutral answer as a success where enumeration matters

A limit is checked and counted in one statement sequence under the row's lock, so two
requests at the same moment cannot both pass the last free slot. Keys are SHA-256 digests
(of an address, an e-mail address...), salted with the site's secret: nothing readable is
stored, and old windows are deleted by `purge` (run by the worker and by tests).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from aioffice.core.models import RateCounter


def digest(value: str) -> str:
    """The stored form of a key: an HMAC-SHA-256 under the site's secret."""
    return hmac.new(
        settings.SECRET_KEY.encode(), value.strip().lower().encode(), hashlib.sha256
    ).hexdigest()


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, behind RATELIMIT_TRUSTED_PROXIES reverse
    proxies of our own, the address the outermost of them saw (counted from the right of
    X-Forwarded-For, so that an address a client writes into the header itself is never
    taken)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    hops = int(getattr(settings, "RATELIMIT_TRUSTED_PROXIES", 0))
    if hops <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    return chain[-hops] if len(chain) >= hops else remote


def client_key(request: HttpRequest) -> str:
    """The digest of the client's address; an IPv6 client counts by its /64 network (one
    subscriber line holds a whole /64 and can change addresses within it at will)."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return digest(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return digest(str(parsed.ipv4_mapped))
        return digest(str(ipaddress.ip_network(f"{parsed}/64", strict=False)))
    return digest(str(parsed))


def _window_start(now: datetime, window: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window, tz=timezone.get_current_timezone())


def hit(scope: str, key: str, *, limit: int, window: int, now: datetime | None = None) -> bool:
    """Count one request of `key` in `scope`; False when it is over `limit` per `window`
    seconds (the request should then be refused). `key` should come from `digest` or
    `client_key`."""
    start = _window_start(now or timezone.now(), window)
    with transaction.atomic():
        updated = RateCounter.objects.filter(scope=scope, key=key, window_start=start).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(scope=scope, key=key, window_start=start, count=1)
            except IntegrityError:  # created by a request at the same moment
                RateCounter.objects.filter(scope=scope, key=key, window_start=start).update(
                    count=F("count") + 1
                )
        count = (
            RateCounter.objects.filter(scope=scope, key=key, window_start=start)
            .values_list("count", flat=True)
            .first()
        )
    return (count or 0) <= limit


def purge(older_than: timedelta = timedelta(days=1), now: datetime | None = None) -> int:
    """Delete the counters of windows that began more than `older_than` ago."""
    cutoff = (now or timezone.now()) - older_than
    deleted, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
