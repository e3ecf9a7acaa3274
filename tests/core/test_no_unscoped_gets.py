"""A lint rule as a test (STYLE.md practice 1): views and API modules reach tenant data only
through scoped managers and ``access_<thing>`` helpers.

* Everywhere in ``alliance/**/views*.py`` and ``alliance/**/api.py``: no
  ``TenantModel.objects....get(`` (a missing or foreign row must be a 404 from an access
  helper, not a DoesNotExist 500 or a leak), no ``get_object_or_404(TenantModel, ...)`` and
  no ``Model.unscoped`` (the unscoped manager is for the tenant middleware and back office).
* In the STRICT modules: no ``TenantModel.objects`` at all; reads go through ``queries.py``
  and ``access.py``. Add a module here once its views follow the rule.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

import alliance

ROOT = Path(alliance.__file__).parent
SCANNED = sorted({*ROOT.glob("**/views*.py"), *ROOT.glob("**/api.py")})
STRICT = {
    "members/views.py",
    "members/views_hub.py",
    "members/views_program.py",
}


def tenant_model_names() -> set[str]:
    """Models whose default manager is a django-scopes ScopedManager."""
    return {
        model.__name__
        for model in apps.get_models()
        if hasattr(model._default_manager, "with_scopes_disabled")
    }


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}"


def _manager_root(node: ast.AST) -> str | None:
    """For ``X.objects.a(...).b(...)`` return "X"; None when the chain has no X.objects."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr == "objects" and isinstance(node.value, ast.Name):
                return node.value.id
            node = node.value
        else:
            return None


def check_source(source: str, path: str, tenant: set[str], *, strict: bool) -> list[Finding]:
    findings: list[Finding] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            if node.attr == "unscoped" and isinstance(node.value, ast.Name):
                findings.append(Finding(path, node.lineno, f"{node.value.id}.unscoped in a view"))
            if (
                strict
                and node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and node.value.id in tenant
            ):
                findings.append(
                    Finding(path, node.lineno, f"{node.value.id}.objects: use queries/access")
                )
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "get":
            root = _manager_root(func.value)
            if root in tenant:
                findings.append(
                    Finding(path, node.lineno, f"{root}.objects...get(): use an access_ helper")
                )
        if isinstance(func, ast.Name) and func.id == "get_object_or_404" and node.args:
            target = node.args[0]
            name = target.id if isinstance(target, ast.Name) else _manager_root(target)
            if name in tenant:
                findings.append(
                    Finding(path, node.lineno, f"get_object_or_404({name}): use an access_ helper")
                )
    return findings


def test_views_and_apis_never_get_tenant_rows_unscoped():
    tenant = tenant_model_names()
    assert {"Program", "Classroom", "Site", "Membership"} <= tenant
    assert SCANNED, "no views found: is ROOT right?"
    findings: list[Finding] = []
    for file in SCANNED:
        relative = file.relative_to(ROOT).as_posix()
        findings += check_source(
            file.read_text(encoding="utf-8"), relative, tenant, strict=relative in STRICT
        )
    assert not findings, "Unsafe tenant access:\n" + "\n".join(map(str, findings))


def test_every_strict_module_exists():
    missing = [name for name in STRICT if not (ROOT / name).exists()]
    assert not missing


# The rule itself, on small samples, so a broken checker cannot pass silently.
BAD = [
    ("Program.objects.get(pk=1)", False, "get()"),
    ("Classroom.objects.select_related('site').filter(x=1).get()", False, "get()"),
    ("get_object_or_404(Site, pk=1)", False, "get_object_or_404(Site)"),
    ("get_object_or_404(Site.objects.filter(a=1), pk=1)", False, "get_object_or_404(Site)"),
    ("Program.unscoped.filter(slug='x')", False, "unscoped"),
    ("Membership.objects.filter(program=p)", True, "use queries/access"),
]
GOOD = [
    ("access_classroom(program, 3)", True),
    ("request.GET.get('q', '')", True),
    ("Program.objects.filter(pk=1).first()", False),
    ("User.objects.get(email='a@b.c')", True),  # not a tenant model
    ("data.get('x')", True),
]


@pytest.mark.parametrize(("source", "strict", "rule"), BAD)
def test_the_checker_catches(source, strict, rule):
    findings = check_source(source, "x.py", tenant_model_names(), strict=strict)
    assert any(rule in f.rule for f in findings), findings


@pytest.mark.parametrize(("source", "strict"), GOOD)
def test_the_checker_lets_pass(source, strict):
    assert check_source(source, "x.py", tenant_model_names(), strict=strict) == []
