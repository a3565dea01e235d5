# settings.py (excerpt): the old names, every origin, with cookies.
CORS_ORIGIN_ALLOW_ALL = True
CORS_ALLOW_CREDENTIALS = True
