"""The layers of README's Layout, read from the imports: each imports only the layers below it.

    core      bot/core/        the model and the rules, pure: imports nothing of the project
    storage   storage/         SQL and migrations: the core
    services  bot/services/    use cases: storage and the core
    handlers  handlers/        the conversation: services and the core (never storage)
    edges     the rest of bot/ channels, scheduler, delivery, digest, roster files, CLI, wiring

Every import counts, those inside functions and under TYPE_CHECKING too: a name a module
cannot see at run time is still a dependency for whoever reads it. And no two modules may
import each other, directly or round a longer loop.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage")
LAYERS = ("core", "storage", "services", "handlers", "edges")
# What each layer may import besides itself.
ALLOWED = {
    "core": set(),
    "storage": {"core"},
    "services": {"core", "storage"},
    "handlers": {"core", "services"},
    "edges": {"core", "storage", "services", "handlers"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
    if "sample" not in path.parts
}


def layer_of(module: str) -> str:
    if module == "bot.core" or module.startswith("bot.core."):
        return "core"
    if module == "bot.services" or module.startswith("bot.services."):
        return "services"
    top = module.split(".", 1)[0]
    return {"storage": "storage", "handlers": "handlers"}.get(top, "edges")


def imports_of(module: str) -> list[tuple[int, str]]:
    """(line, module) for each project module MODULE imports."""
    path = MODULES[module]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # "from bot import channels" imports the module bot.channels.
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in MODULES
                else node.module
                for alias in node.names
            ]
        else:
            continue
        found += [
            (node.lineno, name)
            for name in dict.fromkeys(names)
            if name.split(".", 1)[0] in PACKAGES and name != module
        ]
    return found


def test_the_layers_are_all_there():
    layers = {layer_of(module) for module in MODULES}
    assert layers == set(LAYERS)
    assert len(MODULES) > 60  # the walk still finds the modules


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_the_layers_below_it(module):
    layer = layer_of(module)
    wrong = [
        f"{MODULES[module].relative_to(ROOT)}:{line}: imports {imported}"
        f" ({layer_of(imported)}; {layer} may import {sorted(ALLOWED[layer]) or 'nothing'})"
        for line, imported in imports_of(module)
        if layer_of(imported) not in ALLOWED[layer] | {layer}
    ]
    assert wrong == []


def test_no_modules_import_each_other():
    graph = {
        module: {name for _, name in imports_of(module) if name in MODULES} for module in MODULES
    }
    loops = _loops(graph)
    assert loops == [], "\n".join(" -> ".join([*loop, loop[0]]) for loop in loops)


def _loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_check_finds_a_wrong_import_and_a_loop():
    assert layer_of("bot.core.quarters") == "core" and layer_of("bot.cli") == "edges"
    assert "storage" not in ALLOWED["handlers"] and ALLOWED["core"] == set()
    assert _loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _loops({"a": {"b"}, "b": set()}) == []


def test_handlers_reach_the_store_only_through_services():
    # The store reaches a handler only to be handed to a use case (and for the unit of work,
    # `transaction()`): a repository called from a handler is storage seen from above.
    reaching = re.compile(r"\bstore\.(?!transaction\b)[a-z_]+\.[a-z_]+\(")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for module, path in MODULES.items()
        if layer_of(module) == "handlers"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reaching.search(line)
    ]
    assert found == []
    assert reaching.search("await ctx.store.meetings.view(1)")
    assert not reaching.search("async with ctx.store.transaction():")
