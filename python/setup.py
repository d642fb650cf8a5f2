"""Build hook: records the checkout this package is installed from (capeval/_install.py), so that
an installed package finds the jar built in that checkout (capeval._runner). Everything else is in
pyproject.toml."""
import os

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


class RecordCheckout(build_py):
    def run(self):
        super().run()
        root = os.path.dirname(HERE)
        # pip builds a local directory in place; a copy elsewhere has no checkout around it
        checkout = root if os.path.isfile(os.path.join(root, "pom.xml")) and os.path.isdir(os.path.join(root, "jobs")) else None
        target = os.path.join(self.build_lib, "capeval", "_install.py")
        with open(target, "w", encoding="utf-8") as f:
            f.write('"""Written at install time by setup.py: the capeval checkout the package was installed from."""\n')
            f.write("CHECKOUT = %r\n" % checkout)


setup(cmdclass={"build_py": RecordCheckout})
