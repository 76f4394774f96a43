from assistant.web.app import create_app as create_app  # noqa: F401  (moved; kept until callers import assistant.web.app)
