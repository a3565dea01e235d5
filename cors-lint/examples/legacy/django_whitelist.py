# settings.py (excerpt): the old whitelist name, a tuple, and one custom header.
from corsheaders.defaults import default_headers

CORS_ORIGIN_WHITELIST = ("https://example.com", "http://localhost:8080")
CORS_ALLOW_HEADERS = list(default_headers) + ["my-custom-header"]
CORS_EXPOSE_HEADERS = ["X-Request-Id"]
CORS_PREFLIGHT_MAX_AGE = 3600
CORS_URLS_REGEX = r"^/api/"
