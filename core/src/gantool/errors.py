"""User-facing errors: the CLI prints them as one line and exits non-zero, never a traceback."""


class GantoolError(Exception):
    """A problem with what the user asked for; the message says what is wrong and how to fix it."""
