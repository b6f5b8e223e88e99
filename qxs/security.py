"""Login protection: the page a locked-out editor sees (django-axes calls it)."""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """429 with a page in Chinese saying how long the lock lasts (``AXES_LOCKOUT_CALLABLE``)."""
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
