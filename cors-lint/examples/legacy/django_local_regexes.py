# settings.py (excerpt): "let the front end on any local port in", as often written.
INSTALLED_APPS = ["corsheaders"]

CORS_ALLOWED_ORIGIN_REGEXES = [
    r"(?:https?:\/\/)127.0.0.1:*",
    r"(?:https?:\/\/)localhost:*",
]
CORS_ALLOW_CREDENTIALS = True
