"""Settings shared by every environment.

Everything that differs between machines is read from the environment (see ``.env.example`` and the
README). Nothing here turns on ``DEBUG`` or carries a secret.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("QXS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    """Read a boolean from the environment: 1/true/yes/on are true, anything else false."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated list from the environment, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # whitenoise serves static files in runserver too, so dev and prod behave alike.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Third-party apps
    "taggit",
    "django_filters",
    "django_prose_editor",
    "simple_history",
    "csp",
    "qxs.thirdparty_apps.AxesConfig",  # django-axes, named in Chinese
    # Second factor for staff (TOTP apps and one-time backup codes); see accounts/.
    "django_otp",
    "qxs.thirdparty_apps.TOTPConfig",  # django_otp.plugins.otp_totp, named in Chinese
    "qxs.thirdparty_apps.StaticConfig",  # django_otp.plugins.otp_static, named in Chinese
    # Our apps. qxs holds the project-wide middleware and the page cache (and the migration
    # history of the site identity, now portal's); portal the home page and shared chrome.
    "qxs",
    "portal",
    "partnerships",
    "articles",
    "search",
    "imports",
    "topics",
    # Staff sign-in: second factor, enrolment, reset, session limits. After django_otp's plugins,
    # whose admin pages it replaces.
    "accounts",
]

MIDDLEWARE = [
    # Answers /healthz before host validation, so container health checks work with any Host.
    "qxs.middleware.HealthCheckMiddleware",
    # A database that cannot be reached gives a 503 page in Chinese, not a 500.
    "qxs.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Caching headers (public + s-maxage + xkey, or private) for every response, and anonymous
    # pages from the app's cache when it is on (qxs/cache.py). Early (after the HTTPS redirect),
    # so a hit skips the middlewares below; what they add to a page, the Content Security Policy
    # included, is stored with it.
    "qxs.cache.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the URL only (/en/… is English), never from cookies or Accept-Language.
    "qxs.middleware.URLLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end after QXS_STAFF_IDLE_MINUTES idle and QXS_STAFF_SESSION_HOURS in all.
    "accounts.middleware.StaffSessionLimitMiddleware",
    # request.user.is_verified(): has this session passed a second factor (django-otp)?
    "django_otp.middleware.OTPMiddleware",
    # No admin page for staff without a second factor (QXS_STAFF_TWO_FACTOR).
    "accounts.middleware.StaffTwoFactorMiddleware",
    # Records the signed-in user on every saved article version (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qxs.urls"
WSGI_APPLICATION = "qxs.wsgi.application"

# The public pages are Jinja2 templates in each app's jinja2/ folder (portal.templating: the
# Django template language cost a cold news list more than half its time); the admin, the
# sitemap XML and the rest are Django templates in templates/ and each app's templates/.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "portal.templating.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "portal.context_processors.site",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse so a restarted server is picked up again.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Web requests run many short queries side by side; on a small machine a parallel plan makes
    # one query take cores the other requests need (search p50 halved under load without it).
    # JIT compiling pays off only for long analytic queries: it cost 220 ms of a 295 ms
    # related-news query before that query was rewritten, so it stays off for web sessions.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={env_int('DJANGO_PG_PARALLEL_WORKERS', 0)} -c jit=off"
    )
# The hot queries of qxs.prepared as PostgreSQL prepared statements, planned once per connection;
# off (QXS_PREPARED_STATEMENTS=0) behind a pooler sharing server connections between transactions.
QXS_PREPARED_STATEMENTS = env_bool("QXS_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    # SQLite: wait for a lock rather than failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Django's own Redis backend when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but an unreachable Redis is a miss (qxs/cache_backends.py).
            "BACKEND": "qxs.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "KEY_PREFIX": "qxs",
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "qxs",
            "TIMEOUT": 300,
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Chinese at /…, English under /en/…; the URL alone decides (qxs/locale.py).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("简体中文")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# The admin's path (DJANGO_ADMIN_URL, e.g. "bianji-2004/"): moving it off /admin/ keeps most
# password-guessing robots away from the login form.
ADMIN_URL = (os.environ.get("DJANGO_ADMIN_URL", "").strip("/") or "admin") + "/"

# Security: login lockout (django-axes), Content Security Policy (django-csp), request limits.
# Editors sign in through django-axes first: it refuses a locked-out username+address pair.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
# Lock the pair (username, address): one attacker cannot lock an editor out from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts during the lock do not extend it, so "try again in 15 minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "qxs.security.lockout_response"
# Axes' database handler, but with the second factor on only a right code clears the failures,
# and wrong codes count as failures (accounts/lockout.py).
AXES_HANDLER = "accounts.lockout.SecondFactorAxesHandler"
AXES_COOLOFF_MESSAGE = _("登录失败次数过多，账号已暂时锁定，请稍后再试。")
# The reverse proxies in front of the app (DJANGO_TRUSTED_PROXY_COUNT, 0 = none): each appends the
# address it saw to X-Forwarded-For, so the client is the N-th address from the right; anything
# further left was sent by the client and is not trusted (qxs.security.client_ip).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "qxs.security.client_ip"

# Every script, style and image comes from our own origin; nothing inline, nothing framed.
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The one inline style allowed, by its hash: the base stylesheet the rich-text editor
        # (Tiptap, inside django-prose-editor) inserts as a <style> element. No 'unsafe-inline'.
        # tests/security/test_csp.py recomputes it from the installed editor.
        "style-src": [SELF, PROSE_EDITOR_STYLE_HASH],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Request limits: a form body (files aside) or field count past these answers 400. 5 MB leaves
# room for a long article pasted into the editor.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Uploaded images (articles/images.py): a larger file or picture is refused with a form error.
QXS_IMAGE_MAX_BYTES = env_int("QXS_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
QXS_IMAGE_MAX_PIXELS = env_int("QXS_IMAGE_MAX_PIXELS", 40_000_000)
# The longest a public page is kept, by the app's page cache and by Varnish or a CDN (s-maxage);
# changes show at once anyway (qxs/cache.py).
QXS_PAGE_CACHE_SECONDS = env_int("QXS_PAGE_CACHE_SECONDS", 600)
# The Varnish servers to purge when content changes (QXS_VARNISH_URLS, comma-separated, e.g.
# "http://cache:80"); empty: no HTTP cache in front (make run). See qxs/purge.py.
QXS_VARNISH_URLS = env_list("QXS_VARNISH_URLS")
# Whole anonymous pages kept in the app's cache (qxs/cache.py): for machines without Varnish, so
# on by default only when QXS_VARNISH_URLS is empty.
QXS_APP_PAGE_CACHE = env_bool("QXS_APP_PAGE_CACHE", not QXS_VARNISH_URLS)

# Site
SITE_NAME = "质量兴市"

# Staff sign-in (accounts/): a second factor before any admin page, and bounded sessions.
# prod.py always enforces the factor; dev.py lets QXS_STAFF_TWO_FACTOR=false turn it off.
QXS_STAFF_TWO_FACTOR = True
OTP_TOTP_ISSUER = SITE_NAME
# A staff session ends after this long without a request, and this long after signing in anyway.
QXS_STAFF_IDLE_MINUTES = env_int("QXS_STAFF_IDLE_MINUTES", 30)
QXS_STAFF_SESSION_HOURS = env_int("QXS_STAFF_SESSION_HOURS", 12)
SESSION_COOKIE_AGE = QXS_STAFF_SESSION_HOURS * 3600

# Search flood limit (search/ratelimit.py): searches per client address per window, counted in
# Redis (REDIS_URL) so every process and machine shares one count; 0 turns the limit off.
QXS_SEARCH_RATE_LIMIT = env_int("QXS_SEARCH_RATE_LIMIT", 30)
QXS_SEARCH_RATE_WINDOW_SECONDS = env_int("QXS_SEARCH_RATE_WINDOW_SECONDS", 60)

# Search query log (search/logfold.py): raw rows older than this many days, and the oldest rows
# past the row cap, are folded into daily counts per normalised query, at most once an hour.
QXS_SEARCH_LOG_DAYS = env_int("QXS_SEARCH_LOG_DAYS", 90)
QXS_SEARCH_LOG_MAX_ROWS = env_int("QXS_SEARCH_LOG_MAX_ROWS", 200_000)
QXS_SEARCH_LOG_DAILY_TERMS = env_int("QXS_SEARCH_LOG_DAILY_TERMS", 1000)

# Mail: the editorial workflow's notifications (articles/notifications.py), sent after the change
# commits; a failure is logged and never undoes it. SMTP from the environment; dev.py prints mail to
# the console, test.py keeps it in memory. EMAIL_TIMEOUT bounds how long a dead server can hold up
# the request that made the change.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "质量兴市 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address for links in mail (e.g. https://news.example.gov.cn); empty: paths only.
QXS_SITE_URL = os.environ.get("QXS_SITE_URL", "")
