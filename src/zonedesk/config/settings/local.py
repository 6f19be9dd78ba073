"""The laptop/demo install: embedded SQLite under ZONEDESK_DATA_DIR, debug off unless asked for."""

from .base import *  # noqa: F403
from .base import DATA_DIR, env_bool

DEBUG = env_bool("ZONEDESK_DEBUG", False)


def _local_secret() -> str:
    # A per-install random key kept beside the data, so no secret ever lives in the repository.
    import secrets

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = SECRET_KEY or _local_secret()  # noqa: F405
