#!/usr/bin/env bash
# The Python package's tests (pytest) against the jar built in this checkout; `mvn verify` runs this
# in the jobs module's integration-test phase, after the jars are packaged. Needs Python >= 3.9 with
# pytest (Debian: python3-pytest): CAPEVAL_PYTHON, else python3, else /usr/bin/python3. Without one
# the tests are skipped with a warning, except under CAPEVAL_REQUIRE_SHARED=1 (.ci/run), where that
# is a failure. Arguments go to pytest.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
PY=""
for candidate in "${CAPEVAL_PYTHON:-}" python3 /usr/bin/python3; do
  if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys, pytest; sys.exit(sys.version_info < (3, 9))' >/dev/null 2>&1; then
    PY="$candidate"
    break
  fi
done
if [ -z "$PY" ]; then
  msg="no python3 (>= 3.9) with pytest: the Python package's tests (python/tests) are skipped (Debian: apt-get install python3-pytest)"
  if [ "${CAPEVAL_REQUIRE_SHARED:-0}" = 1 ]; then
    echo "ERROR: $msg; CAPEVAL_REQUIRE_SHARED=1 requires them" >&2
    exit 1
  fi
  echo "WARNING: $msg" >&2
  exit 0
fi
echo "python/tests: $("$PY" --version 2>&1) ($(command -v "$PY")), pytest $("$PY" -c 'import pytest; print(pytest.__version__)')"
export PYTHONDONTWRITEBYTECODE=1
exec "$PY" -m pytest -p no:cacheprovider -ra tests "$@"
