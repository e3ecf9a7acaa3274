"""The rules package is pure: no Django, no database, so it can be reused and reasoned about."""

from pathlib import Path

import alliance.rules


def test_rules_package_imports_no_django():
    root = Path(alliance.rules.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "import django" in path.read_text() or "from django" in path.read_text()
    ]
    assert offenders == []
