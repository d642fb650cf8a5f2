"""The JVM that runs without Spark gets its compiler and young-generation size from one file,
conf/local-jvm.options, whichever launcher starts it: submit.sh or this package."""
import os
import re
import subprocess

from capeval import _runner
from conftest import CHECKOUT

OPTIONS = os.path.join(CHECKOUT, "conf", "local-jvm.options")


def flags(cmd):
    """The JVM's final values of the flags the options file sets, from -XX:+PrintFlagsFinal."""
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=dict(os.environ, CAPEVAL_NO_BUILD="1")).stdout.decode("utf-8", "replace")
    found = dict(re.findall(r"^\s*\S+\s+(MaxNewSize|TieredStopAtLevel)\s+= (\S+)", out, re.M))
    assert len(found) == 2, out[-2000:]
    return found


def test_both_launchers_start_the_local_jvm_with_the_options_file(jar):
    cmd = _runner.command(["--help"], front=True)
    assert cmd.count("@" + OPTIONS) == 1, cmd
    # the file parses as a java argument file (comments included) and says what the README says
    from_python = flags(cmd[:1] + ["@" + OPTIONS, "-XX:+PrintFlagsFinal", "-version"])
    assert from_python == {"MaxNewSize": str(128 << 20), "TieredStopAtLevel": "1"}
    # submit.sh's first JVM (--version is answered there) ends up with the same values
    env_cmd = ["env", "CAPEVAL_DRIVER_OPTS=-XX:+PrintFlagsFinal", os.path.join(CHECKOUT, "submit.sh"), "--version"]
    assert flags(env_cmd) == from_python
