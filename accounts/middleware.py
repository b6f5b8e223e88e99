"""Staff sign-in middleware: bounded sessions, and no admin page without a second factor."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import sessions
from .twofactor import has_second_factor

# Admin pages a signed-in editor reaches before passing the second factor: signing out, and the
# second-factor pages themselves.
OPEN_BEFORE_SECOND_FACTOR = {
    "admin:logout",
    "accounts:verify",
    "accounts:setup",
    "accounts:backup-codes",
}


def is_admin_path(request):
    return request.path_info.startswith("/" + settings.ADMIN_URL)


class StaffSessionLimitMiddleware:
    """Ends a staff session idle longer than ``QXS_STAFF_IDLE_MINUTES`` or older than
    ``QXS_STAFF_SESSION_HOURS``: the session is deleted on the server (``logout``), and an admin
    request goes to the login page with a message; elsewhere the request goes on anonymous."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: leave the session unread, so anonymous
        # pages do not vary on the cookie.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and user.is_staff:
            now = int(time.time())
            if sessions.session_expired(request.session, now):
                logout(request)
                if is_admin_path(request):
                    messages.info(request, _("登录已超时，请重新登录。"))
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse('admin:login')}?{query}")
            else:
                sessions.touch(request.session, now)
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """With ``QXS_STAFF_TWO_FACTOR`` on, an admin page needs a session verified by a second factor.

    A signed-in editor without one goes to the code page, or to enrolment when the account has no
    factor yet; ``next`` brings them back. Placed after django-otp's ``OTPMiddleware``, which
    gives ``request.user.is_verified()``. Acting in ``process_view`` covers every admin view,
    including those ModelAdmins add (preview, history, workflow moves).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.QXS_STAFF_TWO_FACTOR or not is_admin_path(request):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        target = "accounts:verify" if has_second_factor(user) else "accounts:setup"
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(target)}?{query}")
