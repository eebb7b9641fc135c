"""Project settings, read from the environment (django-environ) with defaults for the embedded run.

The embedded default needs nothing installed beyond Python: SQLite under var/ and a Redis-free
Celery transport on the file system. DATABASE_URL and REDIS_URL / CELERY_BROKER_URL switch to
PostgreSQL and Redis. Production hardening lives in mengtao/settings_production.py.
"""

import secrets
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from .brokers import filesystem_broker_options

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A per-installation key kept under var/, so that sessions survive a restart of `make run`."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "treebeard",
    "rules.apps.AutodiscoverRulesConfig",
    "mengtao.apps.AxesConfig",  # django-axes, with a Chinese name in the admin
    "csp",
    # The product, in layer order: each app imports only from the apps above it.
    "core",
    "accounts",
    "audit",
    "campaigns",
    "teams",
    "reviews",
    "awards",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.context.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mengtao.urls"
WSGI_APPLICATION = "mengtao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # `{% url %}` with ids costs a string replacement, not a regular expression (core.templatetags.fast_url).
            "builtins": ["core.templatetags.fast_url"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mengtao.navigation.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
    {
        # The rows of the busiest lists (core/jinja.py), included by their pages with `{% jinja %}`.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "core.jinja.environment", "autoescape": True, "auto_reload": DEBUG},
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mengtao.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL lets readers go on while one writer writes, and
    # IMMEDIATE transactions queue writers instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # The applications' covering index (INCLUDE) is PostgreSQL's; SQLite keeps its key columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles any query its planner costs above 100,000 — a count over a big
        # campaign's applications, an export — and the compiling costs seconds where the query itself
        # takes milliseconds. Pages answer in a tenth of a second; they never gain from it.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.PasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Failed-login throttling: five failures for one user name from one address lock that pair out
# for a quarter of an hour; a success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
CSRF_FAILURE_VIEW = "mengtao.views.csrf_failure"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Ours first; then the Chinese catalogues of libraries that ship none under the name zh_Hans.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "locale_vendor" / "django",
    BASE_DIR / "locale_vendor" / "django_filters",
    BASE_DIR / "locale_vendor" / "axes",
]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media is private: no URL pattern serves MEDIA_ROOT; downloads go through views that check
# permission. MEDIA_URL only names a prefix that nothing routes (Django wants one).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/private-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="core.staticfiles.StaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)

# --- Mail -----------------------------------------------------------------------------------
# Production sends through SMTP: EMAIL_URL=smtp://user:password@host:25 (smtp+tls://…:587 for
# STARTTLS, smtp+ssl://…:465). Without it (`make run`), each e-mail is written as a file under
# var/mail/. The tests' own process uses Django's in-memory backend (pytest-django sets it).
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# An SMTP server that does not answer is a temporary failure after this many seconds, not a stuck worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="梦桃式班组创建管理 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the links in e-mails point: the address people open the application at.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The outbox (notifications.mailer): a temporary SMTP failure is retried after OUTBOX_RETRY_SECONDS,
# doubling each time up to OUTBOX_RETRY_MAX_SECONDS; the e-mail fails after OUTBOX_MAX_ATTEMPTS
# attempts. One left "sending" this long after its attempt began lost its worker and is tried again.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_SECONDS = env.float("OUTBOX_RETRY_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=60 * 60)
OUTBOX_STALE_SENDING_SECONDS = env.float("OUTBOX_STALE_SENDING_SECONDS", default=10 * 60)

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "filesystem://"
# With acks_late, a task on Redis whose worker died is delivered again once this long has passed since
# it was delivered (checked when a worker starts, and periodically): longer than the longest task runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker: messages are files in one folder that producers and workers share.
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(
        Path(env.str("CELERY_FILESYSTEM_BROKER_DIR", default=str(VAR_DIR / "broker")))
    )
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "housekeeping": {
        "task": "accounts.housekeeping",
        "schedule": env.float("HOUSEKEEPING_INTERVAL_SECONDS", default=60 * 60),
    },
    "close-campaigns-past-their-deadline": {
        "task": "campaigns.close_due",
        "schedule": env.float("CLOSE_CAMPAIGNS_INTERVAL_SECONDS", default=10 * 60),
    },
}

# --- Cache ----------------------------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.redis_cache.RedisCache"  # one client per pool, not per operation
if "LocMemCache" not in CACHES["default"]["BACKEND"]:
    # Keys carry the database's name: two installations sharing one Redis (a test copy beside the real
    # one, the bench's two sizes) must not read each other's users, bells or pages, which are keyed
    # by ids and versions that both databases have.
    CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default=str(DATABASES["default"]["NAME"])))
    # A cache every worker shares (Redis) holds the sessions too: a signed-in page then reads no
    # session row. The embedded run's in-memory cache is each process's own, and a session ended in
    # one process would live on in another's: there, sessions stay in the database alone.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The signed-in user with their roles, and the bell's count, kept in the cache between requests
# (accounts.user_cache): only where every process shares the cache, so that a role revoked or an account
# closed in one process is forgotten in all of them at once.
CACHE_SIGNED_IN_USER = env.bool("CACHE_SIGNED_IN_USER", default="LocMemCache" not in CACHES["default"]["BACKEND"])

# --- Content Security Policy ----------------------------------------------------------------
# Everything comes from this origin. No inline script and no eval: behaviours live in static files
# and read data- attributes; htmx is told not to evaluate anything (the htmx-config meta in base.html).
# Styles keep 'unsafe-inline' because Trix writes a <style> element into the page when its editor
# starts, the printable application form carries its own stylesheet (shared with the PDF renderer),
# and a few templates set style attributes (the union tree's indentation depth). A nonce would cover
# the first two but make every page unique, which rules out caching public pages; inline styles
# cannot run code. Bootstrap's CSS uses data: SVG images for its icons (checkboxes, selects, close).
# The admin runs under the same policy; the one inline script it meets is django-celery-beat's crontab
# hint on the periodic task form, which is blocked: the form still works, without that hint.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Forms and UI ---------------------------------------------------------------------------
# Widget templates are looked up like any other template, so templates/widgets/ can add our own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PAGE_SIZE = 50
# Lists count at most this many rows (core.pagination); beyond it they say "more than" this many.
PAGE_COUNT_LIMIT = env.int("PAGE_COUNT_LIMIT", default=2000)
# Objections to a public notice (awards.views.public): filed objections counted per client address
# within an hour and per phone within a day; the arithmetic check's answer is good for this long.
OBJECTION_LIMIT_PER_IP_PER_HOUR = env.int("OBJECTION_LIMIT_PER_IP_PER_HOUR", default=5)
OBJECTION_LIMIT_PER_PHONE_PER_DAY = env.int("OBJECTION_LIMIT_PER_PHONE_PER_DAY", default=3)
# Look-ups of an objection's outcome by its reference, per network address: enough for any filer,
# too few to guess references.
OBJECTION_LOOKUP_LIMIT_PER_IP_PER_HOUR = env.int("OBJECTION_LOOKUP_LIMIT_PER_IP_PER_HOUR", default=30)
OBJECTION_CHALLENGE_MAX_AGE = env.int("OBJECTION_CHALLENGE_MAX_AGE", default=30 * 60)

# --- Logging --------------------------------------------------------------------------------
# Lines are stamped in TIME_ZONE with the offset; a 403 or 404 is one warning line, without the
# traceback Django attaches to a refused request.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"()": "core.logging.LocalTimeFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "filters": {"no_client_error_traceback": {"()": "core.logging.ClientErrorTracebackFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["no_client_error_traceback"]},
    },
}

ADMINS = [tuple(pair.split(":", 1)) for pair in env.list("ADMINS", default=[]) if ":" in pair]
SITE_NAME = _("Mengtao-style Team Campaigns")

# --- Demo data ------------------------------------------------------------------------------
# `manage.py seed_demo` runs these in order; each stage of the lifecycle adds its own.
# Certificate numbers (awards.services.certificate_number): `<prefix>-<year of the decision>-<nnnn>`,
# the sequence running on per prefix and year across decisions, consecutive within one.
CERTIFICATE_PREFIXES = {
    "mengtao": "MT",  # 梦桃式班组
    "pioneer": "GX",  # 工人先锋号
    "studio": "CX",  # 劳模(职工)创新工作室
    "model_team": "MF",  # 模范班组
    "other": "RY",  # 其他荣誉
}
DEMO_SEEDERS = [
    "accounts.demo.seed",
    "campaigns.demo.seed",
    "teams.demo.seed",
    "reviews.demo.seed",
    "awards.demo.seed",
    "notifications.demo.seed",
]
# `manage.py seed_scale` (the generated province the benchmark measures) runs these in order.
SCALE_SEEDERS = [
    "accounts.scale.seed",
    "campaigns.scale.seed",
    "teams.scale.seed",
    "reviews.scale.seed",
    "awards.scale.seed",
]

# --- Uploads --------------------------------------------------------------------------------
# An Office file (docx, xlsx, pptx) is a ZIP archive: the most it may expand to when opened.
UPLOAD_MAX_EXPANDED_BYTES = env.int("UPLOAD_MAX_EXPANDED_BYTES", default=200 * 1024 * 1024)
# A form that fails keeps its good uploads in private staging for the next submit, this long; the
# housekeeping task deletes what is older.
UPLOAD_STAGING_MAX_AGE_SECONDS = env.int("UPLOAD_STAGING_MAX_AGE_SECONDS", default=24 * 60 * 60)

# --- Campaigns ------------------------------------------------------------------------------
CAMPAIGN_ATTACHMENT_MAX_BYTES = env.int("CAMPAIGN_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Teams and applications -----------------------------------------------------------------
# Evidence and ledger files: the largest single file, and the most one application may carry.
TEAM_FILE_MAX_BYTES = env.int("TEAM_FILE_MAX_BYTES", default=20 * 1024 * 1024)
APPLICATION_EVIDENCE_MAX_BYTES = env.int("APPLICATION_EVIDENCE_MAX_BYTES", default=200 * 1024 * 1024)
# In production nginx serves private files from an `internal` location after the permission check:
# e.g. PRIVATE_FILES_X_ACCEL_PREFIX=/protected/ with `location /protected/ { internal; alias <MEDIA_ROOT>/; }`.
PRIVATE_FILES_X_ACCEL_PREFIX = env.str("PRIVATE_FILES_X_ACCEL_PREFIX", default="")
