"""Where stored files live (evidence and PDF reports): this machine's disk, or S3-compatible object
storage. Imported by corett/settings.py under the same names; STORAGES is built there."""

from django.core.exceptions import ImproperlyConfigured

from ..env import env_str
from ..storages import KINDS as storage_kinds

MEDIA_STORAGE = env_str("MEDIA_STORAGE", storage_kinds[0]).lower()
if MEDIA_STORAGE not in storage_kinds:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be one of {', '.join(storage_kinds)}.")
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None  # unset: Amazon S3 itself
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID") or None
AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY") or None
AWS_S3_ADDRESSING_STYLE = env_str("AWS_S3_ADDRESSING_STYLE") or None  # "path" for some servers
AWS_LOCATION = env_str("AWS_LOCATION").strip("/")  # a prefix inside the bucket
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_EXPIRE = 300  # seconds, should a signed address ever be made
AWS_S3_MAX_MEMORY_SIZE = 4 * 1024 * 1024  # a download larger than this spools to a temporary file
if MEDIA_STORAGE == "s3" and not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
