"""`pip install --no-build-isolation ./python` works offline, and the installed package finds the jar
of the checkout it was installed from (recorded at install time) and its console command runs."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import CHECKOUT, PYTHON_DIR, REFS, RESULTS


def _builder():
    """An interpreter with setuptools and wheel (the offline build backend): this one, else Debian's."""
    for python in (sys.executable, "/usr/bin/python3"):
        if python and os.path.isfile(python) and subprocess.run(
                [python, "-c", "import setuptools, wheel, pip"], capture_output=True).returncode == 0:
            return python
    return None


def test_pip_install_offline_then_score(jar, tmp_path):
    python = _builder()
    if python is None:
        pytest.skip("no Python with pip, setuptools and wheel here (Debian: python3-pip python3-setuptools python3-wheel)")
    target = tmp_path / "site"
    p = subprocess.run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps", "--target",
                        str(target), PYTHON_DIR], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    for made in ("build", "capeval.egg-info"):  # setuptools' working folders in the source tree
        shutil.rmtree(os.path.join(PYTHON_DIR, made), ignore_errors=True)
    with open(target / "capeval" / "_install.py", encoding="utf-8") as f:
        assert "CHECKOUT = %r" % CHECKOUT in f.read()
    (tmp_path / "refs.json").write_text(json.dumps(REFS))
    (tmp_path / "results.json").write_text(json.dumps(RESULTS))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAPEVAL_")}
    env["PYTHONPATH"] = str(target)
    p = subprocess.run([str(target / "bin" / "capeval-score"), str(tmp_path / "refs.json"), str(tmp_path / "results.json"),
                        "--engine", "local"], capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["n_images"] == 3
