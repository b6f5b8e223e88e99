"""The second-factor pages, under the admin's path: the code page, enrolment, the backup codes.

Reached after the password (Django's admin login, guarded by django-axes); the middleware sends a
signed-in editor here until the session has passed a second factor.
"""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from qxs.security import lockout_response

from . import lockout, services, twofactor
from .forms import CodeForm, EnrolmentForm

BACKUP_CODES_SESSION_KEY = "qxs_new_backup_codes"


def next_url(request):
    """Where to go afterwards: ``next`` when it is a path on this site, else the admin's index."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def admin_context(request, **extra):
    """The admin's chrome without its navigation: the editor is not through yet."""
    return {
        **admin.site.each_context(request),
        "has_permission": False,
        "is_nav_sidebar_enabled": False,
        "next": next_url(request),
        **extra,
    }


def staff_required(view):
    return login_required(view, login_url="admin:login")


@never_cache
@sensitive_post_parameters("code")
@staff_required
def verify(request):
    """Ask for a code from the authenticator app or a backup code."""
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    if not twofactor.has_second_factor(user):
        return redirect(f"{reverse('accounts:setup')}?{request.GET.urlencode()}")
    if lockout.is_locked_out(request, user):
        logout(request)
        return lockout_response(request)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.verify_code(user, form.cleaned_data["code"])
        except twofactor.CodeRefused as refused:
            if lockout.record_code_failure(request, user):
                logout(request)
                return lockout_response(request)
            form.add_error(
                "code",
                _("尝试过于频繁，请稍等几秒再输入。")
                if refused.throttled
                else _("验证码不正确、已过期或已用过，请重新输入。"),
            )
        else:
            otp_login(request, device)
            lockout.record_code_success(request, user)
            if device.persistent_id.startswith("otp_static"):
                left = twofactor.backup_codes_left(user)
                messages.warning(
                    request,
                    _("已使用一个备用码，还剩 %(left)d 个。用完前请找回手机或请超级管理员重置。")
                    % {"left": left},
                )
            return redirect(next_url(request))
    return render(
        request,
        "admin/accounts/verify.html",
        admin_context(request, form=form, title=_("双重验证")),
    )


@never_cache
@sensitive_post_parameters("code")
@staff_required
def setup(request):
    """First sign-in: scan the QR code, confirm with a code, receive ten backup codes."""
    user = request.user
    if twofactor.has_second_factor(user):
        # A factor exists: changing it needs this session verified (or a superuser's reset).
        if not user.is_verified():
            return redirect(f"{reverse('accounts:verify')}?{request.GET.urlencode()}")
        return redirect(next_url(request))

    device = twofactor.pending_app_device(user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_enrolment(device, form.cleaned_data["code"])
        if codes is None:
            form.add_error(
                "code", _("验证码不正确，请确认手机时间准确后，输入当前显示的 6 位数字。")
            )
        else:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            query = urlencode({"next": next_url(request)})
            return redirect(f"{reverse('accounts:backup-codes')}?{query}")
    return render(
        request,
        "admin/accounts/setup.html",
        admin_context(
            request,
            form=form,
            title=_("设置双重验证"),
            qr_code=twofactor.qr_code_data_uri(device),
            secret=twofactor.secret_for_typing(device),
        ),
    )


@never_cache
@staff_required
def backup_codes(request):
    """The ten backup codes, shown once right after enrolment."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(next_url(request))
    return render(
        request,
        "admin/accounts/backup_codes.html",
        admin_context(request, codes=codes, title=_("备用码")),
    )
