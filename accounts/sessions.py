"""Staff session limits: QXS_STAFF_IDLE_MINUTES without a request, QXS_STAFF_SESSION_HOURS in all.

Times are kept in the session (seconds since the epoch), so they hold whichever process or
machine answers the next request.
"""

import time

from django.conf import settings

SIGNED_IN_AT = "qxs_signed_in_at"
LAST_SEEN = "qxs_last_seen"
# The last-seen time is written at most this often, so a busy editor does not rewrite the
# session on every click; the idle limit is checked against it with this much slack.
LAST_SEEN_GRANULARITY = 60


def record_sign_in(sender, request, user, **kwargs):
    """Receiver of ``user_logged_in``: the session's clocks start now."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session.set_expiry(settings.QXS_STAFF_IDLE_MINUTES * 60 + LAST_SEEN_GRANULARITY)


def session_expired(session, now):
    """Has this signed-in session been idle too long, or lasted too long in all?"""
    idle = settings.QXS_STAFF_IDLE_MINUTES * 60
    longest = settings.QXS_STAFF_SESSION_HOURS * 3600
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN)
    if signed_in_at is None or last_seen is None:
        # A session from before these limits: its age is unknown, so it ends now.
        return True
    return now - last_seen > idle or now - signed_in_at > longest


def touch(session, now):
    """Note activity, and let the server drop the session once it has been idle too long."""
    if now - session.get(LAST_SEEN, 0) >= LAST_SEEN_GRANULARITY:
        session[LAST_SEEN] = now
        session.set_expiry(settings.QXS_STAFF_IDLE_MINUTES * 60 + LAST_SEEN_GRANULARITY)
