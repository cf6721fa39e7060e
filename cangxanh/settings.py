"""All settings, driven by environment variables (see .env.example).

The embedded default needs nothing: SQLite in var/ (WAL mode), local-memory
cache, media on local disk. Production (CANGXANH_PRODUCTION=1) refuses to start
without a real SECRET_KEY and ALLOWED_HOSTS and turns on secure cookies and HSTS.
"""

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cangxanh.images.buckets import storages_from_env

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("CANGXANH_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


PRODUCTION = env_bool("CANGXANH_PRODUCTION")
DEBUG = env_bool("DEBUG")
if PRODUCTION and DEBUG:
    # DEBUG shows settings and code to anyone who makes an error happen.
    raise ImproperlyConfigured("DEBUG must be off in production: unset DEBUG.")


def weak_secret_key(key: str) -> bool:
    """Django's own measure (check --deploy): 50 characters, 5 different, not a default."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if PRODUCTION and weak_secret_key(key):
            raise ImproperlyConfigured(
                "SECRET_KEY must be at least 50 random characters in production "
                '(python3 -c "import secrets; print(secrets.token_urlsafe(60))").'
            )
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("Set SECRET_KEY: production refuses to start without one.")
    # Embedded mode: one random key per installation, kept in var/ so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and (not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS to the site's host names (a wildcard is refused in production)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # The admin, its model admins imported when the newsroom is first used
    # (cangxanh.editorial.site): a worker serving only readers stays small.
    "cangxanh.editorial.site.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    # Django's static files without the country flags django-countries ships (no page
    # shows one; their 500 files would cost every worker's static index memory).
    "cangxanh.core.static_app.StaticFilesConfig",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "easy_thumbnails",
    "django_prose_editor",
    # Login throttling and lockout (failed sign-ins kept for administrators).
    "axes",
    # Content-Security-Policy (its system checks; the policy is below, core.headers says why).
    "csp",
    # Two-step sign-in: authenticator apps (TOTP) and backup codes (cangxanh.editorial.two_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # ISO 3166 countries with their names in our five languages (registries, map).
    "django_countries",
    "cangxanh.core",
    "cangxanh.delivery",
    "cangxanh.images",
    "cangxanh.news",
    "cangxanh.documents",
    "cangxanh.agenda",
    "cangxanh.agency",
    # What strangers send (questions, comments), and the questions and answers.
    "cangxanh.inbox",
    "cangxanh.questions",
    "cangxanh.consultations",
    # The office's registries: partner localities, delegations, agreements, NGO aid.
    "cangxanh.registry",
    # Tables of numbers as accessible tables, server-drawn SVG charts, CSV and XLSX.
    "cangxanh.charts",
    "cangxanh.stats",
    # The open data API (/api/v1/) and its documentation page (/<lang>/api/).
    "cangxanh.api",
    "cangxanh.editorial",
    "cangxanh.search",
    "cangxanh.demo",
]

MIDDLEWARE = [
    # First: it sees the finished response of a public page (cangxanh.delivery).
    "cangxanh.delivery.middleware.DeliveryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, nonce included, on every answer, refusals and static files
    # too (django-csp, with core.headers' media origins).
    "cangxanh.core.headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, except that library files (/media/) get no Vary: Accept-Language.
    "cangxanh.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second step verified this session; then, while a code is still due, only
    # the code and setup pages answer (editorial.two_factor).
    "django_otp.middleware.OTPMiddleware",
    "cangxanh.editorial.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Permissions-Policy and Cross-Origin-Resource-Policy on every answer (core.headers).
    "cangxanh.core.headers.SecurityHeadersMiddleware",
    "cangxanh.editorial.sessions.SessionLifetimeMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Accounts. Staff sign in at the admin's login page and land on their work
# (editorial.views.login); a refused `next` lands on the newsroom too.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "editorial:queue"
AUTHENTICATION_BACKENDS = [
    # First: a locked-out client never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Proxies and CDNs in front of the portal, as addresses or networks: only from
# these is X-Forwarded-For believed, read from the right (core.client). Anyone
# else's header is whatever the client wants it to be, and is ignored.
TRUSTED_PROXIES = env_list("CANGXANH_TRUSTED_PROXIES", ["127.0.0.0/8", "::1"])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"CANGXANH_TRUSTED_PROXIES: {_proxy!r} is not an address or a network."
        ) from None

# Five wrong passwords for one account, or from one client, lock that account or
# client out for 15 minutes; a success clears the count. The client is its
# address as core.client finds it: the connection's own, or the one a trusted
# proxy forwards.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success clears the count only once signing in is complete, the code included
# (editorial.two_factor): a right password must not wipe the wrong codes typed after it.
AXES_RESET_ON_SUCCESS = False
# The code typed at the second step is not kept with a failed attempt.
AXES_SENSITIVE_PARAMETERS = ["otp_token"]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "cangxanh.core.client.request_address"
AXES_LOCKOUT_CALLABLE = "cangxanh.editorial.errors.locked_out"
AXES_VERBOSE = False
# A staff session ends after 8 hours without a request, and 24 hours after signing in
# whatever happens (editorial.sessions); readers have no session at all.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_LIFETIME = timedelta(hours=24)
# Approvers, administrators and superusers sign in with a code from an authenticator
# app after their password (others may choose to). Off only for a local trial
# (CANGXANH_2FA_REQUIRED=0); a system check refuses that in production.
TWO_FACTOR_REQUIRED = env_bool("CANGXANH_2FA_REQUIRED", True)

ROOT_URLCONF = "cangxanh.urls"
WSGI_APPLICATION = "cangxanh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cangxanh.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(os.environ.get("CANGXANH_SQLITE_PATH") or VAR_DIR / "cangxanh.sqlite3"),
            "OPTIONS": {
                # WAL lets readers and one writer work at once; IMMEDIATE avoids
                # "database is locked" upgrades inside write transactions. A page
                # cache of 1 MiB per connection (SQLite's default is 2): the rest is
                # in the system's file cache, shared by every worker.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                    " PRAGMA busy_timeout=5000; PRAGMA cache_size=-1024;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # Keep each worker's connection (opening one and setting the pragmas
            # costs more than a page's queries); checked before reuse.
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
            # A file, not memory, so tests see WAL and real locking like production.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis (REDIS_URL, e.g. redis://127.0.0.1:6379/0) is what several app
# processes or machines share: the page cache, the content version, the view
# counters and Django's cache. Without it, each process keeps its own pages,
# the version is a small file in VAR_DIR shared by this machine's processes,
# and views wait in each process until flushed.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_PREFIX = os.environ.get("REDIS_PREFIX", "cx:")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX + "django",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The whole-page cache (cangxanh.delivery): on unless CANGXANH_PAGE_CACHE=0 or DEBUG.
PAGE_CACHE = env_bool("CANGXANH_PAGE_CACHE", True) and not DEBUG
# What browsers and CDNs are told: keep a page this long, then serve it stale
# for up to PAGE_CACHE_STALE seconds while fetching a fresh one.
PAGE_CACHE_MAX_AGE = int(os.environ.get("CANGXANH_PAGE_MAX_AGE", "30"))
PAGE_CACHE_STALE = int(os.environ.get("CANGXANH_PAGE_STALE", "300"))
# Caching edges in front (Varnish with the xkey vmod, deploy/varnish/): each gets
# `PURGE` with `xkey-purge: <keys>` when public content changes (cangxanh.delivery.edge).
# Comma-separated base addresses, e.g. http://127.0.0.1:6081; none: nothing is sent.
EDGE_PURGE_URLS = env_list("CANGXANH_EDGE_PURGE_URLS", [])
# Memory for pages in each process (the LRU drops the least recently used).
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("CANGXANH_PAGE_CACHE_MB", "16")) * 1024 * 1024
CONTENT_VERSION_FILE = VAR_DIR / "content-version"
# The tables this machine's processes share without Redis (core.mapped): running
# view totals, readers seen, rate limits. Every process serving one site must name
# the same folder.
SHARED_TABLES_DIR = Path(os.environ.get("CANGXANH_SHARED_DIR") or VAR_DIR / "shared")
# A rendition an image no longer uses (a new focal point, file or settings) is kept
# this long before it is deleted: pages cached at an edge or in browsers, served
# stale while they revalidate, still name it (images.renditions.renditions_retire).
RENDITIONS_RETIRE_SECONDS = int(os.environ.get("CANGXANH_RENDITIONS_RETIRE_SECONDS", "86400"))
# Names the deployed code in shared page-cache keys (with a digest of the
# templates, catalogs and static manifest, which changes on its own).
RELEASE = os.environ.get("CANGXANH_RELEASE", "")
# How often buffered view counts are written; 0 writes each view at once.
VIEWS_FLUSH_SECONDS = float(os.environ.get("CANGXANH_VIEWS_FLUSH_SECONDS", "0.5"))
# A reader (a keyed hash of client address and browser, never stored as such)
# counts once per translation in this many seconds (stats.counter).
VIEWS_READER_WINDOW = float(os.environ.get("CANGXANH_VIEWS_READER_WINDOW", "1800"))
# Searches that reach the search engine per client address: "<n>/<second|minute|hour>",
# 0 for no limit. Over it: 429 with Retry-After (search.limits).
SEARCH_RATE = os.environ.get("CANGXANH_SEARCH_RATE", "30/minute")
# Questions sent through /<lang>/questions/ask/ per client address, and tracking look-ups
# (code and e-mail) per client address, in the same notation (cangxanh.questions.limits).
QUESTIONS_RATE = os.environ.get("CANGXANH_QUESTIONS_RATE", "5/hour")
QUESTIONS_TRACK_RATE = os.environ.get("CANGXANH_QUESTIONS_TRACK_RATE", "20/hour")
# Comments on consultations per client address, in the same notation (consultations.views).
COMMENTS_RATE = os.environ.get("CANGXANH_COMMENTS_RATE", "10/hour")
# Requests to the open data API (/api/v1/) per client address, in the same notation
# ("/day" too; 0 for no limit). Over it: 429 with Retry-After (cangxanh.api.http).
API_RATE = os.environ.get("CANGXANH_API_RATE", "120/minute")

# E-mail to askers (tracking codes, answers): SMTP when EMAIL_HOST is set, else printed
# on the console (development); EMAIL_BACKEND overrides both. A message that cannot be
# sent is kept and retried by `cangxanh send-question-mail`.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@cangxanh.invalid")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. Codes are BCP 47 as Django spells them; the switcher labels and
# formats live in cangxanh.core.languages.
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
    ("ko", _("Korean")),
    ("ja", _("Japanese")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "cangxanh_language"
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")

# Where every absolute address starts (canonical, hreflang, feeds, sitemaps, robots.txt,
# share links, Open Graph, JSON-LD): never the request's Host, which a client may forge
# among ALLOWED_HOSTS and which would then reach every reader through the shared caches.
# Empty: derived from the first ALLOWED_HOSTS entry, https in production, else http on
# SITE_PORT (the port `make run` serves on); see cangxanh.core.site.site_url.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
SITE_PORT = int(os.environ.get("PORT", "8000"))

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media (MEDIA_ROOT, MEDIA_URL) holds what readers may load: the renditions of
# library images, all under THUMBNAIL_BASEDIR. Uploaded originals keep their
# camera's metadata (GPS position included), so they live apart, in the
# private "originals" storage (ORIGINALS_ROOT, outside MEDIA_ROOT), which no
# web server and no media view serves: staff download them through the app
# (cangxanh.images.views.original).
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
ORIGINALS_ROOT = Path(os.environ.get("ORIGINALS_ROOT") or VAR_DIR / "originals")
# Documents' attached files (cangxanh.documents), private like the originals: only the
# files listed by a published document are served, through the app (documents.views.file).
DOCUMENTS_ROOT = Path(os.environ.get("DOCUMENTS_ROOT") or VAR_DIR / "documents")
# The app serves media itself in the embedded setup; behind a web server or
# object storage set SERVE_MEDIA=0.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# On local disk, a write that fails half way (a full disk) leaves no partial file
# (cangxanh.images.storage.LocalStorage).
STORAGES = {
    "default": {"BACKEND": "cangxanh.images.storage.LocalStorage"},
    # No base_url: an original's url() is its library address under MEDIA_URL
    # (what article bodies name it by), which answers 404 to readers.
    "originals": {
        "BACKEND": "cangxanh.images.storage.LocalStorage",
        "OPTIONS": {"location": ORIGINALS_ROOT},
    },
    "documents": {
        "BACKEND": "cangxanh.images.storage.LocalStorage",
        "OPTIONS": {"location": DOCUMENTS_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several app machines share media on S3-compatible object storage
# (`pip install .[s3]`, docs/operations.md, cangxanh.images.buckets): set
# AWS_STORAGE_BUCKET_NAME and the AWS_* variables there. Renditions go to the
# bucket's public `<AWS_LOCATION>/renditions/` prefix, pages naming them at the
# bucket (or AWS_S3_CUSTOM_DOMAIN, a CDN in front of it), or at MEDIA_URL with
# SERVE_MEDIA=1 (the app reads them from a bucket private whole). Originals and
# documents' files go, with a private ACL, under their own prefixes or to a
# bucket of their own (AWS_ORIGINALS_BUCKET_NAME), never behind the CDN.
if os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip():
    SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
    STORAGES |= storages_from_env(os.environ, media_url=MEDIA_URL, serve_media=SERVE_MEDIA)
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_MAX_AGE = 3600

# Uploads: refuse huge requests early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The media library (cangxanh.images). An upload is judged by its content, not
# its name: JPEG, PNG or WebP, at most IMAGE_MAX_UPLOAD_BYTES, at most
# IMAGE_MAX_PIXELS (read from the header, so a decompression bomb is refused
# before anything is decoded; capped at Pillow's own MAX_IMAGE_PIXELS), and at
# least IMAGE_MIN_SIDE pixels on its shorter side: the narrowest rendition is a
# 320 px card, and any 16:9 crop of such an image still fills it without
# being enlarged.
IMAGE_MAX_UPLOAD_BYTES = 15 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MIN_SIDE = 320
# Documents' attached files (cangxanh.documents): PDF, DOCX or XLSX, judged by their
# bytes like pictures, at most this size.
DOCUMENT_MAX_UPLOAD_BYTES = int(
    os.environ.get("CANGXANH_DOCUMENT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))
)
# A request body larger than the largest file a form takes plus its other fields is
# refused before it is read (cangxanh.core.uploads): no upload fills the disk.
UPLOAD_MAX_REQUEST_BYTES = (
    max(IMAGE_MAX_UPLOAD_BYTES, DOCUMENT_MAX_UPLOAD_BYTES) + DATA_UPLOAD_MAX_MEMORY_SIZE
)
# Then Django's two handlers, naming each file by its own name shortened (no form
# refuses a long name; cangxanh.core.uploads).
FILE_UPLOAD_HANDLERS = [
    "cangxanh.core.uploads.RequestSizeLimit",
    "cangxanh.core.uploads.ShortNamesInMemory",
    "cangxanh.core.uploads.ShortNamesOnDisk",
]
# Renditions per purpose: the widths made (never wider than the original), the
# crop ratio (None: the whole picture) and the width of the plain `src`. Each
# is made as WebP and as a JPEG fallback (PNG for pictures with transparency).
IMAGE_RENDITIONS = {
    "card": {"widths": (320, 480, 720), "ratio": (16, 9), "src": 480},
    "wide": {"widths": (640, 960, 1280), "ratio": (16, 9), "src": 960},
    "full": {"widths": (720, 1080, 1440, 1920), "ratio": None, "src": 1440},
}
IMAGE_RENDITION_QUALITY = {"webp": 80, "fallback": 82}
# Every rendition under one folder of the media storage (renditions/<the
# original's name>.<options>.<ext>): the one folder a web server or a public
# bucket policy exposes (docs/operations.md).
THUMBNAIL_BASEDIR = "renditions"
THUMBNAIL_CHECK_CACHE_MISS = True

SESSION_COOKIE_HTTPONLY = True
# A refused form explained in the user's language (Django's own page is English only).
CSRF_FAILURE_VIEW = "cangxanh.editorial.errors.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
CROSS_ORIGIN_RESOURCE_POLICY = os.environ.get("CROSS_ORIGIN_RESOURCE_POLICY", "same-site")
# /.well-known/security.txt (RFC 9116): where to report a vulnerability.
SECURITY_CONTACTS = env_list("SECURITY_CONTACTS", ["mailto:security@cangxanh.invalid"])
SECURITY_POLICY_URL = os.environ.get("SECURITY_POLICY_URL", "")
# Content-Security-Policy (django-csp), explained in core/headers.py. The nonce is
# written into the header only on pages that use it (the editor's import map in the
# admin); public pages never do, since they are cached and shared. Report-only mode
# (CANGXANH_CSP_REPORT_ONLY) tries the policy out without blocking anything; browsers
# send what it would have blocked to CANGXANH_CSP_REPORT_URI, if set.
_csp_report_only = env_bool("CANGXANH_CSP_REPORT_ONLY")
_csp_report_uri = os.environ.get("CANGXANH_CSP_REPORT_URI", "")
_csp = {
    "DIRECTIVES": {
        "default-src": [csp.NONE],
        "script-src": [csp.SELF, csp.NONCE],
        # Our stylesheets, and the one inline stylesheet, by its hash: the base rules
        # the rich-text editor (tiptap, inside django-prose-editor) adds to the admin's
        # pages (tests/core/test_csp.py recomputes the hash from the installed editor).
        # Style attributes apply only on pages with the editor (editorial.editor.with_editor).
        "style-src": [csp.SELF, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "form-action": [csp.SELF],
        "base-uri": [csp.NONE],
        "object-src": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        # Browsers ignore it (and say so) in a report-only policy.
        "upgrade-insecure-requests": PRODUCTION and not _csp_report_only,
        "report-uri": [_csp_report_uri] if _csp_report_uri else None,
    }
}
CONTENT_SECURITY_POLICY = None if _csp_report_only else _csp
CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp if _csp_report_only else None
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # A state site is HTTPS for good: ready for the browsers' preload list.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refusal (403, 400) is the client's doing, not a fault: one line, no traceback.
    "filters": {"refusals": {"()": "cangxanh.core.logs.RefusalsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
