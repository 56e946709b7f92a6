"""The matching engine is pure Python: importing it must not import Django."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import practicum.matching

PACKAGE_DIR = Path(practicum.matching.__file__).parent
REPO_ROOT = PACKAGE_DIR.parent.parent


def test_importing_the_engine_does_not_import_django():
    code = (
        "import sys\n"
        "import practicum.matching\n"
        "import practicum.matching.scoring\n"
        "import practicum.matching.stable\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert 'django' not in sys.modules, loaded\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_no_module_of_the_package_imports_django_or_the_project():
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith("django"), f"{path.name} imports {name}"
                if name.startswith("practicum"):
                    assert name.startswith("practicum.matching"), f"{path.name} imports {name}"
