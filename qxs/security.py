"""Login protection: which address a request comes from, and the page a locked-out editor sees.

django-axes calls both (``AXES_CLIENT_IP_CALLABLE``, ``AXES_LOCKOUT_CALLABLE``).
"""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """The client's address, trusting exactly ``TRUSTED_PROXY_COUNT`` proxies.

    Each proxy appends the address it received the request from to ``X-Forwarded-For``, so with N
    proxies the client is the N-th entry from the right. Entries further left come from the client
    itself and could be anything, so they are never used. Without proxies, ``REMOTE_ADDR``.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """429 with a page in Chinese saying how long the lock lasts."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(
        request,
        "security/lockout.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
