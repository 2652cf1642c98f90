"""The layout is the pipeline: every import in `buut/` points to the same stage or a lower one,
and no module imports itself back through others (issue 26).

    model  <  load  <  check  <  render  <  search  <  build  <  serve  <  cli

The imports are read from the source with `ast` (module level, inside functions, and under
`if TYPE_CHECKING:` alike), so an import hidden in a function to dodge a circle counts too.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "buut"
LAYERS = ("model", "load", "check", "render", "search", "build", "serve", "cli")


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, package): path for path in sorted(package.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """The BUUT modules that `name` imports, with the line of each import."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from buut.render import wijzigingen` imports the module buut.render.wijzigingen
            targets = [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known and "." in target:
                target = target.rsplit(".", 1)[0]  # `import buut.load.policy.x` -> the module that exists
            if target in known and target != name:
                found.append((target, node.lineno))
    return found


def layer(name: str) -> int:
    parts = name.split(".")
    stage = parts[1] if len(parts) > 1 else "model"  # `buut` itself: a docstring and nothing more
    return LAYERS.index(stage)


def graph(package: Path = PACKAGE) -> dict[str, list[tuple[str, int]]]:
    found = modules(package)
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def upward(edges: dict[str, list[tuple[str, int]]], package: Path = PACKAGE) -> list[str]:
    files = modules(package)
    return [f"{files[name].relative_to(package.parent)}:{line}: {name} ({LAYERS[layer(name)]}) importeert "
            f"{target} ({LAYERS[layer(target)]}), een latere stap"
            for name, targets in edges.items() for target, line in targets if layer(target) > layer(name)]


def circles(edges: dict[str, list[tuple[str, int]]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target, _ in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_module_belongs_to_a_stage():
    for name in modules():
        parts = name.split(".")
        assert len(parts) == 1 or parts[1] in LAYERS, f"{name}: geen stap van de pijplijn ({', '.join(LAYERS)})"


def test_imports_only_point_down_the_pipeline():
    assert upward(graph()) == []


def test_no_import_circles():
    assert circles(graph()) == []


def test_every_stage_package_says_what_it_takes_and_gives():
    for stage in LAYERS:
        init = PACKAGE / stage / "__init__.py"
        if stage in ("model", "cli"):
            assert (PACKAGE / f"{stage}.py").is_file()
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "takes" in doc.lower() and "gives" in doc.lower(), \
            f"{init}: de docstring zegt niet wat de stap krijgt en geeft"


@pytest.fixture
def planted(tmp_path):
    """A small package with one upward import and one circle, to show the checks can fail."""
    root = tmp_path / "buut"
    for folder in ("load", "render"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text('"""x"""\n')
    (root / "__init__.py").write_text("")
    (root / "model.py").write_text("")
    (root / "load" / "content.py").write_text("def f():\n    from buut.render import pages\n")
    (root / "render" / "pages.py").write_text("from . import other\n")
    (root / "render" / "other.py").write_text("from buut.render.pages import x\nfrom ..load import content\n")
    return root


def test_the_checks_find_an_upward_import_and_a_circle(planted):
    edges = graph(planted)
    assert upward(edges, planted) == [
        "buut/load/content.py:2: buut.load.content (load) importeert buut.render.pages (render), een latere stap"]
    assert circles(edges) == [["buut.load.content", "buut.render.other", "buut.render.pages"]]
