"""capeval's Python exceptions. Each carries capeval's one-line message as ``str(e)``."""


class CapevalError(Exception):
    """Base class: a capeval run could not give scores.

    ``returncode`` and ``stderr`` (its last lines) are set when the Java job ran."""

    def __init__(self, message, returncode=None, stderr=None):
        super().__init__(message)
        self.message = message
        self.returncode = returncode
        self.stderr = stderr


class JavaNotFoundError(CapevalError):
    """No Java to run capeval's jar (JAVA_HOME, PATH)."""


class JarNotFoundError(CapevalError):
    """capeval's jar was not found (CAPEVAL_JAR, CAPEVAL_HOME, the checkout installed from)."""


class InputError(CapevalError, ValueError):
    """The inputs or options were refused (what pycocoevalcap would fail on, an unreadable file, ...)."""


class RunError(CapevalError, RuntimeError):
    """The Java job failed for another reason (out of memory, a JVM that could not start, ...)."""
