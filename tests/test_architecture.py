"""The tree keeps the architecture the README describes: the core imports no framework, the product
never imports the tests or the development tools, Rasa-facing code stays in ``connectors/`` and
``actions/``, project modules import each other without cycles, and no module grows past ~500 lines."""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("bot", "actions", "connectors")
# The plain-Python core: everything under bot/ except storage (SQLAlchemy), the intake service
# (aiohttp) and the administrators' command line that drives them.
NOT_CORE = ("bot/storage/", "bot/service/", "bot/cli.py")
FRAMEWORKS = ("rasa", "rasa_sdk", "sanic", "aiohttp", "sqlalchemy", "alembic", "jinja2")
RASA = ("rasa", "rasa_sdk", "sanic")
MAX_LINES = 520


def _modules(*folders: str) -> Iterator[Path]:
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _imports(path: Path) -> set[str]:
    """Every module name this file imports, at any depth (function-level imports count too);
    relative imports (``from .amounts import x``) resolved against the file's package."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                module = importlib.util.resolve_name("." * node.level + module, _package(path))
            if module:
                names.add(module)
                names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _package(path: Path) -> str:
    """The package a module's relative imports start from (a package's ``__init__`` is its own)."""
    name = _module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _top(name: str) -> str:
    return name.split(".")[0]


def _core_modules() -> list[Path]:
    return [p for p in _modules("bot") if not _rel(p).startswith(NOT_CORE)]


def test_the_core_imports_no_framework() -> None:
    offenders = {
        _rel(p): sorted(n for n in _imports(p) if _top(n) in FRAMEWORKS)
        for p in _core_modules()
        if any(_top(n) in FRAMEWORKS for n in _imports(p))
    }
    assert offenders == {}


def test_only_connectors_and_actions_import_rasa() -> None:
    offenders = [_rel(p) for p in _modules("bot") if any(_top(n) in RASA for n in _imports(p))]
    assert offenders == []


def test_the_product_never_imports_tests_or_tools() -> None:
    offenders = {
        _rel(p): sorted(n for n in _imports(p) if _top(n) in ("tests", "tools"))
        for p in _modules(*PRODUCT)
        if any(_top(n) in ("tests", "tools") for n in _imports(p))
    }
    assert offenders == {}


def test_the_product_reads_no_file_under_tests() -> None:
    offenders = []
    for path in _modules(*PRODUCT):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and (node.value.strip("/").startswith("tests/") or node.value == "tests")
            ):
                offenders.append(f"{_rel(path)}:{node.lineno}")
    assert offenders == []


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    paths = list(_modules(*PRODUCT, "tools"))
    known = {_module_name(p) for p in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        name = _module_name(path)
        targets = set()
        for imported in _imports(path):
            # "from bot.tickets import routing" names the module bot.tickets.routing
            while imported and imported not in known:
                imported = imported.rpartition(".")[0]
            if imported and imported != name and not name.startswith(imported + "."):
                targets.add(imported)
        graph[name] = targets
    return graph


def test_no_import_cycles() -> None:
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


@pytest.mark.parametrize(
    "folder",
    [
        "actions",
        "connectors",
        "bot",
        "tools",
        "tests",
    ],
)
def test_no_module_is_longer_than_about_500_lines(folder: str) -> None:
    long = {
        _rel(p): n
        for p in _modules(folder)
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_readme_names_every_top_level_folder_of_the_product() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the parts fit", 1)[1].split("\n## ", 1)[0]
    folders = [
        "bot/",
        "bot/intake/",
        "bot/facts/",
        "bot/risk/",
        "bot/tickets/",
        "bot/storage/",
        "bot/service/",
        "connectors/",
        "connectors/nlu/",
        "connectors/channels/",
        "connectors/stores/",
        "actions/",
        "domain/",
        "data/",
        "nlu_data/",
        "centers/",
        "tools/",
        "tests/",
    ]
    for folder in folders:
        assert (ROOT / folder).is_dir(), folder
        assert f"`{folder}" in section, folder
