"""Every package the plugin imports is declared in pyproject.toml, pinned, at the
version constraints.txt installs."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "plugins" / "bulletin"


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>!~; ]", requirement, maxsplit=1)[0]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_canonical(_name(req)): req for req in project["dependencies"]}


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_canonical(name)] = version.strip()
    return pins


def _imported_top_level_modules() -> set[str]:
    modules = set()
    for path in PLUGIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"bulletin", "__future__"}


def test_dependencies_are_pinned_at_the_constrained_version():
    constraints = _constraints()
    for name, requirement in _declared().items():
        assert "==" in requirement, f"{requirement!r} is not pinned"
        version = requirement.split("==", 1)[1].strip()
        assert constraints.get(name) == version, (
            f"pyproject.toml pins {requirement!r}, constraints.txt {constraints.get(name)!r}"
        )


def test_every_imported_package_is_declared():
    declared = _declared()
    distributions = packages_distributions()
    undeclared = []
    for module in sorted(_imported_top_level_modules()):
        owners = {_canonical(dist) for dist in distributions.get(module, [])}
        assert owners, f"the plugin imports {module!r}, which no installed package provides"
        if not owners & declared.keys():
            undeclared.append((module, sorted(owners)))
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
