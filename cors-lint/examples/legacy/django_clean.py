# settings.py (excerpt): a policy that lets in what it says and nothing else.
CORS_ALLOWED_ORIGINS = [
    "https://example.com",
    "http://localhost:3000",
]
CORS_ALLOWED_ORIGIN_REGEXES = [
    r"^https://[a-z0-9-]+\.preview\.example\.com$",
    r"^http://127\.0\.0\.1(:\d+)?$",
]
CORS_ALLOW_CREDENTIALS = True
