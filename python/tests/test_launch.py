"""The JVM that runs without Spark gets its compiler and young-generation size from one file,
conf/local-jvm.options, whichever launcher starts it: submit.sh or this package; and the rules the
two launchers each apply (the heap from spark.driver.memory, huge pages when the kernel gives them
on request) give that JVM the same values."""
import os
import re
import subprocess

from capeval import _runner
from conftest import CHECKOUT

OPTIONS = os.path.join(CHECKOUT, "conf", "local-jvm.options")


def flags(cmd):
    """The JVM's final values of FLAGS, from -XX:+PrintFlagsFinal."""
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=dict(os.environ, CAPEVAL_NO_BUILD="1")).stdout.decode("utf-8", "replace")
    found = dict(re.findall(r"^\s*\S+\s+(%s)\s+= (\S+)" % "|".join(FLAGS), out, re.M))
    assert len(found) == len(FLAGS), out[-2000:]
    return found


FLAGS = ("MaxNewSize", "TieredStopAtLevel", "MaxTenuringThreshold", "MaxHeapSize", "UseTransparentHugePages")
FILE_FLAGS = ("MaxNewSize", "TieredStopAtLevel", "MaxTenuringThreshold")


def test_both_launchers_start_the_local_jvm_with_the_options_file(jar):
    cmd = _runner.command(["--help"], front=True)
    assert cmd.count("@" + OPTIONS) == 1, cmd
    # the file parses as a java argument file (comments included) and says what the README says
    from_file = flags(cmd[:1] + ["@" + OPTIONS, "-XX:+PrintFlagsFinal", "-version"])
    assert {k: from_file[k] for k in FILE_FLAGS} == {"MaxNewSize": str(128 << 20), "TieredStopAtLevel": "1",
                                                     "MaxTenuringThreshold": "0"}
    # both launchers' first JVMs (--help and --version are answered there) end up with the same
    # values: the file's, the heap of conf/spark-defaults.conf's spark.driver.memory, the same huge pages
    from_python = flags(_runner.command(["--help"], front=True, java_options=["-XX:+PrintFlagsFinal"]))
    assert {k: from_python[k] for k in FILE_FLAGS} == {k: from_file[k] for k in FILE_FLAGS}
    env_cmd = ["env", "CAPEVAL_DRIVER_OPTS=-XX:+PrintFlagsFinal", os.path.join(CHECKOUT, "submit.sh"), "--version"]
    assert flags(env_cmd) == from_python


def tmpdir_of(cmd, env):
    """The JVM's java.io.tmpdir, from -XshowSettings:properties."""
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=dict(os.environ, CAPEVAL_NO_BUILD="1", **env)).stdout.decode("utf-8", "replace")
    found = re.findall(r"^\s*java\.io\.tmpdir = (.*)$", out, re.M)
    assert len(found) == 1, out[-2000:]
    return found[0]


def test_both_launchers_keep_the_jvms_temporary_files_in_tmpdir(jar, tmp_path, monkeypatch):
    submit = os.path.join(CHECKOUT, "submit.sh")
    for tmp, want in ((str(tmp_path), str(tmp_path)), (str(tmp_path / "missing"), "/tmp")):
        monkeypatch.setenv("TMPDIR", tmp)
        assert tmpdir_of(_runner.command(["--version"], front=True, java_options=["-XshowSettings:properties"]), {}) == want
        assert tmpdir_of([submit, "--version"], {"CAPEVAL_DRIVER_OPTS": "-XshowSettings:properties"}) == want
