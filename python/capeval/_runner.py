"""Finds Java and capeval's jar, and runs the score job in a JVM.

Where the jar comes from (first match):

1. ``CAPEVAL_JAR``: a jar file (the application jar ``capeval-<version>-spark.jar``, or the jobs
   jar). Its classpath adds ``lib/*`` and ``spice/*`` next to the jar when those folders exist (a
   checkout's ``jobs/target/lib`` and ``jobs/target/spice``, CoreNLP's models for SPICE) and ``$SPARK_HOME/jars/*`` when ``SPARK_HOME`` is set.
2. A checkout: ``CAPEVAL_HOME``, else the source tree this module is imported from, else the
   checkout the package was installed from (recorded by setup.py). In its ``jobs/target``,
   ``capeval-<version>-spark.jar`` when the build made one, else ``capeval-jobs-<version>.jar``;
   with ``jobs/target/lib/*`` and ``jobs/target/spice/*`` on the classpath either way.

As in submit.sh, a first JVM (``org.capeval.jobs.Launcher --front``, C1 only) runs the job when it
needs no Spark (score's local engine) and otherwise answers 11 (12 for a short run); then
``org.capeval.jobs.Launcher --checked`` runs it in a second JVM, the Spark driver. Both get the
checkout's ``<spark.module.flags>`` (parent pom.xml, as submit.sh), spark-submit's options (its
``conf/spark-defaults.conf`` as the properties file, the master, the driver memory, also their
``-Xmx``), and ``CAPEVAL_JAVA_OPTS``. Java is
``$JAVA_HOME/bin/java``, else ``java`` on PATH.
"""

import collections
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile

from .errors import CapevalError, InputError, JarNotFoundError, JavaNotFoundError, RunError

MAIN_CLASS = "org.capeval.jobs.Main"
LAUNCHER_CLASS = "org.capeval.jobs.Launcher"
NEEDS_SPARK = 11  # Launcher --front's answer for a job that needs Spark
NEEDS_SPARK_SHORT = 12  # the same for a short run: the Spark JVM compiles with C1 only, as submit.sh's
_C1_ONLY = ["-XX:TieredStopAtLevel=1"]  # a short run's Spark driver
_C2_HOT_ONLY = ["-XX:Tier4InvocationThreshold=25000", "-XX:Tier4MinInvocationThreshold=3000", "-XX:Tier4CompileThreshold=75000", "-XX:Tier4BackEdgeThreshold=200000"]  # a longer one's
_CLASS_JAR = re.compile(r"capeval-jobs-[^/]*\.jar$|capeval-[^/]*-spark\.jar$")
_EXCLUDED = ("-sources.jar", "-tests.jar", "-javadoc.jar")


def _is_checkout(path):
    return bool(path) and os.path.isfile(os.path.join(path, "pom.xml")) and os.path.isdir(os.path.join(path, "jobs"))


def checkout():
    """The capeval checkout to take the jar and configuration from, or None."""
    home = os.environ.get("CAPEVAL_HOME")
    if home:
        return os.path.abspath(home)
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if _is_checkout(here):
        return here
    try:
        from . import _install
    except ImportError:
        return None
    return _install.CHECKOUT if _is_checkout(_install.CHECKOUT) else None


def find_jar():
    """(jar, checkout or None); raises JarNotFoundError with what to do."""
    given = os.environ.get("CAPEVAL_JAR")
    if given:
        jar = os.path.abspath(given)
        if not os.path.isfile(jar):
            raise JarNotFoundError("CAPEVAL_JAR=%s: no such file (set it to capeval's application jar, "
                                   "jobs/target/capeval-<version>-spark.jar of a built checkout)" % given)
        _check_given_jar(given, jar)
        root = os.path.dirname(os.path.dirname(os.path.dirname(jar)))
        return jar, (root if _is_checkout(root) else checkout())
    root = checkout()
    if root is None:
        raise JarNotFoundError("capeval's jar was not found: set CAPEVAL_JAR to capeval-<version>-spark.jar, or CAPEVAL_HOME "
                               "to a capeval checkout built with `mvn -B -DskipTests package` (or install this package "
                               "from such a checkout)")
    target = os.path.join(root, "jobs", "target")
    jars = [j for j in glob.glob(os.path.join(target, "capeval-*.jar"))
            if _CLASS_JAR.search(j) and not j.endswith(_EXCLUDED)]
    if not jars:
        raise JarNotFoundError("no capeval jar in %s: build it with `cd %s && mvn -B -DskipTests package`, or set CAPEVAL_JAR"
                               % (target, root))
    # the application jar when the build makes one (it has capeval's own dependencies; lib/ may then
    # hold only Spark's), else the jobs jar (lib/ holds its whole runtime classpath)
    jars.sort(key=lambda j: (j.endswith("-spark.jar"), os.path.getmtime(j)))
    return jars[-1], root


def _check_given_jar(given, jar):
    """CAPEVAL_JAR is a jar with capeval's launcher, and the jars it runs with are there (Spark's and
    Hadoop's are not in the application jar): else the JVM would fail with a class it cannot find."""
    try:
        with zipfile.ZipFile(jar) as z:
            z.getinfo(LAUNCHER_CLASS.replace(".", "/") + ".class")
    except (zipfile.BadZipFile, KeyError, OSError):
        raise JarNotFoundError("CAPEVAL_JAR=%s: not capeval's application jar (no %s in it; set it to "
                               "jobs/target/capeval-<version>-spark.jar of a built checkout)" % (given, LAUNCHER_CLASS)) from None
    if classpath(jar) == jar:
        raise JarNotFoundError("CAPEVAL_JAR=%s: Spark's and Hadoop's jars are missing: neither a lib/ folder next to it "
                               "(a built checkout's jobs/target/lib) nor SPARK_HOME with a jars/ folder" % given)


def classpath(jar):
    parts = [jar]
    for folder in ("lib", "spice"):  # spice/: CoreNLP's models for SPICE, kept out of the jar (as submit.sh)
        path = os.path.join(os.path.dirname(jar), folder)
        if os.path.isdir(path):
            parts.append(os.path.join(path, "*"))
    spark_home = os.environ.get("SPARK_HOME")
    if spark_home and os.path.isdir(os.path.join(spark_home, "jars")):
        parts.append(os.path.join(spark_home, "jars", "*"))
    return os.pathsep.join(parts)


def _class_archive(jar):
    """The flags that map the classes of a local score run from the archive submit.sh's first local
    run leaves next to the jar (``capeval-local.jsa``; ~0.3 s of a val2014 run), when it is newer than
    the jars; none otherwise. An archive the JVM cannot use is ignored without a message."""
    folder = os.path.dirname(jar)
    jsa = os.path.join(folder, "capeval-local.jsa")
    try:
        made = os.path.getmtime(jsa)
        lib = os.path.join(folder, "lib")
        jars = [jar] + ([os.path.join(lib, f) for f in os.listdir(lib)] if os.path.isdir(lib) else [])
        if any(os.path.getmtime(j) > made for j in jars):
            return []
    except OSError:
        return []
    return ["-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]


def _huge_pages():
    """Transparent huge pages for the heap when the kernel gives them on request, as submit.sh asks
    for them (the n-gram tables are probed at random; measured in BENCHMARKS.md)."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled", encoding="ascii") as f:
            return ["-XX:+UseTransparentHugePages"] if "[madvise]" in f.read() else []
    except OSError:
        return []


def find_java():
    home = os.environ.get("JAVA_HOME")
    if home:
        java = os.path.join(home, "bin", "java")
        if os.path.isfile(java) and os.access(java, os.X_OK):
            return java
        raise JavaNotFoundError("JAVA_HOME=%s has no bin/java: capeval needs Java 17 or later" % home)
    java = shutil.which("java")
    if java is None:
        raise JavaNotFoundError("capeval needs Java 17 or later: no `java` on PATH and JAVA_HOME is not set "
                                "(Debian: apt-get install openjdk-17-jre-headless)")
    return java


def _module_flags(root):
    if root is None:
        return []
    try:
        with open(os.path.join(root, "pom.xml"), encoding="utf-8") as f:
            m = re.search(r"<spark\.module\.flags>(.*?)</spark\.module\.flags>", f.read(), re.S)
    except OSError:
        return []
    return m.group(1).split() if m else []


def _local_jvm_options(root):
    """The java argument file conf/local-jvm.options, as submit.sh passes it to the JVM that runs
    without Spark; none outside a checkout."""
    path = os.path.join(root, "conf", "local-jvm.options") if root else None
    return ["@" + path] if path and os.path.isfile(path) else []


def _tmpdir():
    """The JVM's temporary directory where TMPDIR names a writable one, as submit.sh sets it (and
    Python's tempfile uses it); java_options and CAPEVAL_JAVA_OPTS come later and win."""
    tmp = os.environ.get("TMPDIR")
    return ["-Djava.io.tmpdir=" + tmp] if tmp and os.path.isdir(tmp) and os.access(tmp, os.W_OK) else []


def _driver_memory(properties):
    """spark.driver.memory in the properties file, which becomes the JVM's -Xmx (as submit.sh reads
    it: the driver is the JVM started here)."""
    memory = None
    try:
        with open(properties, encoding="utf-8") as f:
            for line in f:
                kv = line.split(None, 1)
                if len(kv) == 2 and kv[0] == "spark.driver.memory":
                    memory = kv[1].strip()
    except OSError:
        pass
    return memory


def command(args, master=None, driver_memory=None, java_options=(), front=False, short=False):
    """The java command line running ``score ARGS`` as submit.sh runs it: with ``front`` its first
    JVM, ``org.capeval.jobs.Launcher --front``, compiled with C1 only, which runs a job that needs no
    Spark (score's local engine) and exits 11 when the job needs Spark, 12 for a short Spark run;
    else the Spark driver, ``Launcher --checked`` (C1 only with ``short``, else C2 for the hottest code), which runs
    the job in that JVM for a local master and through SparkSubmit otherwise. Both get spark-submit's
    options: the checkout's ``conf/spark-defaults.conf`` as the properties file, ``--master``, and
    the driver memory, which is also the JVM's heap."""
    java = find_java()
    jar, root = find_jar()
    properties = os.path.join(root, "conf", "spark-defaults.conf") if root else None
    if properties and not os.path.isfile(properties):
        properties = None
    memory = driver_memory or (properties and _driver_memory(properties)) or "2g"
    flags = _module_flags(root)
    if front:  # as submit.sh: the compiler and young-generation options of a run of a few seconds
        flags = [f for f in flags if f != "--add-modules=jdk.incubator.vector"] + _local_jvm_options(root)
    else:  # the Spark driver's compiler, as submit.sh's (org.capeval.jobs.SparkSessions)
        flags = flags + (_C1_ONLY if short else _C2_HOT_ONLY)
    cmd = [java] + flags + _huge_pages() + ["-Xmx" + memory]
    if front:
        cmd += _class_archive(jar)
    if root and os.path.isfile(os.path.join(root, "conf", "log4j2.properties")):
        cmd.append("-Dlog4j.configurationFile=" + os.path.join(root, "conf", "log4j2.properties"))
    cmd += _tmpdir()
    cmd += shlex.split(os.environ.get("CAPEVAL_JAVA_OPTS", "")) + list(java_options)
    cmd += ["-cp", classpath(jar), LAUNCHER_CLASS, "--front" if front else "--checked", "--class", MAIN_CLASS]
    if properties:
        cmd += ["--properties-file", properties]
    if master:
        cmd += ["--master", master]
    cmd += ["--driver-memory", memory, "--conf", "spark.ui.showConsoleProgress=false",  # stderr is a pipe here
            jar]
    return cmd + ["score"] + [str(a) for a in args]


_ERROR = re.compile(r"^capeval score: error: (.*)$")
_FAILED = re.compile(r"^capeval score: failed: (.*)$")
_USAGE = re.compile(r"^submit\.sh score: (.*)$")
_LOG_LINE = re.compile(r"^(\d\d/\d\d/\d\d )?\d\d:\d\d:\d\d [A-Z]+ ")  # log lines (conf/log4j2.properties, Spark's default)


def run_score(args, verbose=False, rename=None, **options):
    """Runs the score job; returns nothing (the outputs are in --out). Raises a CapevalError subclass
    carrying capeval's one-line message. ``rename`` maps paths in messages to names for the user."""
    code, first, tail = _run(command(args, front=True, **options), verbose)
    if code in (NEEDS_SPARK, NEEDS_SPARK_SHORT):
        code, first, tail = _run(command(args, short=code == NEEDS_SPARK_SHORT, **options), verbose)
    if code == 0:
        return

    def clean(message):
        for path, name in (rename or {}).items():
            message = message.replace(path, name)
        return message

    stderr = "\n".join(tail)
    if code == 2 and ("error" in first or "usage" in first):  # the documented status for refused input
        raise InputError(clean(first.get("error") or first["usage"]), returncode=code, stderr=stderr)
    message = first.get("failed") or first.get("error")
    if message is None:  # the JVM itself failed (bad option, a class it cannot find, killed): its own words
        message = _jvm_words(tail, code)
        if _NO_LAUNCHER in message:
            raise JarNotFoundError("%s: %s" % (find_jar()[0], message), returncode=code, stderr=stderr)
    raise RunError(clean(message), returncode=code, stderr=stderr)


# what the java launcher prints around the line that says why it could not start the JVM
_JVM_GENERIC = ("Error: Could not create the Java Virtual Machine.", "Error: A fatal exception has occurred. Program will exit.",
                "Error occurred during initialization of VM")
_NO_LAUNCHER = "Could not find or load main class " + LAUNCHER_CLASS


def _jvm_words(tail, code):
    """The line that says why a JVM ended without capeval's own message: the reason the java launcher
    gives for refusing an option (named as such), an uncaught exception, or the last line."""
    lines = [l.strip() for l in tail if l.strip() and not l[0].isspace() and not l.startswith(("WARNING:", "Caused by:"))
             and not _LOG_LINE.match(l)]
    if any(l in _JVM_GENERIC for l in lines):
        reasons = [l for l in lines if l not in _JVM_GENERIC]
        message = "java could not start with its options (driver_memory, java_options, CAPEVAL_JAVA_OPTS): %s" % (
            reasons[-1] if reasons else lines[-1])
    else:
        message = lines[-1] if lines else "exit status %d" % code
    if code < 0:
        message = "killed by signal %d (%s)" % (-code, message)
    return message


def _run(cmd, verbose):
    """Runs one JVM: (exit status, the first capeval message line of each kind, the last lines)."""
    try:
        # one pipe: the job prints eval.json on stdout, its messages on stderr, and the JVM its own
        # start-up errors on stdout
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except OSError as e:
        raise JavaNotFoundError("could not start %s: %s" % (cmd[0], e)) from e
    tail = collections.deque(maxlen=50)
    first = {}
    with proc.stdout:
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if verbose:
                print(line, file=sys.stderr, flush=True)
            tail.append(line)
            for kind, pattern in (("error", _ERROR), ("failed", _FAILED), ("usage", _USAGE)):
                m = pattern.match(line)
                if m and kind not in first:
                    first[kind] = m.group(1)
    return proc.wait(), first, tail


__all__ = ["CapevalError", "command", "find_jar", "find_java", "run_score"]
