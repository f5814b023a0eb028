"""User-facing errors: the CLI prints them as one line and exits non-zero, never a traceback."""


class GantoolError(Exception):
    """A problem with what the user asked for; the message says what is wrong and how to fix it."""


def describe_os_error(exc: OSError) -> str:
    """One line for a failed read or write: what failed, where, and the usual fix."""
    import errno

    where = f" {exc.filename}" if exc.filename else ""
    reason = exc.strerror or type(exc).__name__
    hint = {errno.ENOSPC: "free some disk space or write elsewhere",
            errno.EACCES: "check the permissions or choose another path",
            errno.EROFS: "the file system is read-only; choose another path",
            errno.EISDIR: "a folder stands where a file was expected",
            errno.ENOTDIR: "a file stands where a folder was expected",
            errno.ENOENT: "check the path"}.get(exc.errno or 0, "check the path and try again")
    return f"cannot access{where}: {reason}; {hint}"
