"""The package's shape (issue 23): one way in and imports that point one way.

- Only the command line (cli.py, and __main__.py that calls it) ends the process or prints an exit
  code: every other module raises a SurveyError and is handed a `Paths` or a folder, so no library
  module imports the command line, calls sys.exit or exit(), or raises SystemExit.
- The modules' imports form no cycle, so each can be read, tested and moved knowing only what is
  below it.
- The subpackages are layers of the data flow (LAYERS): a module imports its own subpackage or a
  lower layer, never a higher one or a sibling, and every module has its place.

Both are read from the source with `ast`, never by importing it; each rule is also run on a small
made-up package that breaks it, so that a rule that no longer finds anything fails here.
"""
from __future__ import annotations

import ast
import pathlib

import pytest

from helpers import ROOT

PACKAGE = ROOT / "scripts" / "slmsurvey"
COMMAND_LINE = {"cli", "__main__"}


# The layers, lowest first. The foundations are the package's own modules; `build` is the pipeline
# (load -> validate -> render -> write) that the tools above it run.
LAYERS = (
    ("foundations", {"problems", "locations", "urls", "identifiers", "parallel", "memory", "write", "cache"}),
    ("text", {"text"}),
    ("catalog", {"catalog"}),
    ("exports", {"exports"}),
    ("site", {"site"}),
    ("build", {"build"}),
    ("tools", {"engines", "contribute", "maintain"}),
    ("command line", COMMAND_LINE),
)


def modules(package: pathlib.Path) -> dict[str, ast.Module]:
    """Each module of the package by its dotted name inside it ('catalog.load', 'cli'), parsed; a
    subpackage's __init__ by the subpackage's name."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            found[".".join(parts)] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def imported(tree: ast.Module, names: set[str], name: str = "", package: str = "slmsurvey") -> set[str]:
    """The package's modules that the module `name` (`tree`) imports anywhere, also inside a function:
    `from . import x`, `from .x import y`, `from slmsurvey.a.x import y`, `from slmsurvey.a import x`,
    `import slmsurvey.a.x`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.removeprefix(f"{package}.") for alias in node.names
                      if alias.name.startswith(f"{package}.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                here = name.split(".")[:-1]
                base = here[:len(here) - (node.level - 1)] + ((node.module or "").split(".") if node.module else [])
            elif (node.module or "").split(".")[0] == package:
                base = node.module.split(".")[1:]
            else:
                continue
            target = ".".join(base)
            for alias in node.names:  # `from slmsurvey.catalog import load`: the name is a module
                found.add(f"{target}.{alias.name}".lstrip(".") if f"{target}.{alias.name}".lstrip(".") in names
                          else target)
    return found & names


def import_graph(package: pathlib.Path) -> dict[str, set[str]]:
    trees = modules(package)
    return {name: imported(tree, set(trees), name) - {name} for name, tree in trees.items()}


def layer_of(module: str) -> tuple[int, str]:
    """The layer of a module (its index in LAYERS) and its group: its subpackage, or the layer's name
    for the foundations."""
    top = module.split(".")[0]
    for index, (layer, members) in enumerate(LAYERS):
        if top in members:
            return index, (layer if layer in ("foundations", "command line") else top)
    raise LookupError(f"{module}: in no layer of LAYERS; give it one")


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """'a imports b' for each import of a higher layer or of a sibling group of the same layer."""
    wrong = []
    for module, targets in sorted(graph.items()):
        (level, group) = layer_of(module)
        for target in sorted(targets):
            target_level, target_group = layer_of(target)
            if target_level > level or (target_level == level and target_group != group):
                wrong.append(f"{module} imports {target}")
    return wrong


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or not (Tarjan's strongly connected
    components of more than one module), each sorted; [] when the imports point one way."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for target in sorted(graph.get(name, ())):
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group = []
            while not group or group[-1] != name:
                group.append(stack.pop())
            if len(group) > 1:
                groups.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(groups)


def exits(tree: ast.Module) -> list[int]:
    """Lines that end the process: sys.exit(...), exit(...), quit(...), os._exit(...), raise SystemExit."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            owner = getattr(function.value, "id", "") if isinstance(function, ast.Attribute) else ""
            if (owner, name) in {("sys", "exit"), ("os", "_exit"), ("", "exit"), ("", "quit")}:
                lines.append(node.lineno)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if getattr(raised, "id", getattr(raised, "attr", "")) == "SystemExit":
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "sys" \
                and any(alias.name == "exit" for alias in node.names):
            lines.append(node.lineno)
    return lines


def command_line_leaks(package: pathlib.Path) -> list[str]:
    """'module:line: what' for each library module that imports the command line or ends the process."""
    trees = modules(package)
    found = []
    for name, tree in trees.items():
        if name in COMMAND_LINE:
            continue
        shown = name.replace(".", "/") + ".py"
        found += [f"{shown}: imports the command line" for target in imported(tree, set(trees), name)
                  if target in COMMAND_LINE]
        found += [f"{shown}:{line}: ends the process" for line in exits(tree)]
    return found


# The package ---------------------------------------------------------------------------------------

def test_only_the_command_line_imports_it_or_ends_the_process():
    assert command_line_leaks(PACKAGE) == []


def test_the_imports_of_the_package_form_no_cycle():
    graph = import_graph(PACKAGE)
    assert graph["cli"] and graph["contribute.refresh"] >= {"contribute.edit", "build", "text.names"}  # it was read
    assert cycles(graph) == []


def test_imports_point_down_the_layers_and_every_module_has_one():
    graph = import_graph(PACKAGE)
    assert {"catalog.load", "site.render", "engines.hook", "urls"} <= graph.keys()  # the graph was read
    assert upward_imports(graph) == []


def test_the_library_never_imports_click():
    """Options and messages are the command line's; a module with a click command is a second way in."""
    trees = modules(PACKAGE)
    users = sorted(name for name, tree in trees.items() if name not in COMMAND_LINE for node in ast.walk(tree)
                   if isinstance(node, (ast.Import, ast.ImportFrom))
                   and "click" in ([a.name.split(".")[0] for a in node.names] if isinstance(node, ast.Import)
                                   else [(node.module or "").split(".")[0]]))
    assert users == []


def test_no_module_but_the_package_entry_point_runs_as_a_script():
    """`python -m slmsurvey.maintain.readme` and the like are gone: `slmsurvey readme` is the one way in."""
    trees = modules(PACKAGE)
    scripts = [name for name, tree in trees.items() if name != "__main__" for node in tree.body
               if isinstance(node, ast.If) and "__name__" in ast.unparse(node.test)]
    assert scripts == []


# The rules find what they are for ----------------------------------------------------------------

@pytest.fixture
def broken_package(tmp_path: pathlib.Path) -> pathlib.Path:
    """A made-up package with a cycle of three modules, one of which exits and imports the command line."""
    files = {
        "cli.py": "import sys\nfrom . import a\n\ndef main():\n    sys.exit(1)\n",
        "__main__.py": "from .cli import main\nmain()\n",
        "a.py": "from .b import thing\n",
        "b.py": "def thing():\n    from slmsurvey.c import other\n    return other\n",
        "c.py": "import sys\nfrom slmsurvey import a\nfrom .cli import main\n\ndef other():\n"
                "    raise SystemExit('no')\n\ndef more():\n    sys.exit(2)\n",
        "d.py": "from . import e\n",
        "e.py": "import slmsurvey.d\n",
        "fine.py": "from .a import thing\nimport os\n\ndef f():\n    os.exit = None\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_cycle_rule_finds_cycles(broken_package):
    graph = import_graph(broken_package)
    assert graph["c"] == {"a", "cli"} and graph["e"] == {"d"}
    assert cycles(graph) == [["a", "b", "c", "cli"], ["d", "e"]]  # c imports cli, which imports a
    assert cycles({"x": {"y"}, "y": set()}) == []


def test_the_layer_rule_finds_imports_upward_and_across_and_modules_without_a_layer():
    graph = {"catalog.load": {"site.render", "urls", "catalog.model"}, "engines.hook": {"contribute.edit"},
             "urls": set(), "catalog.model": set(), "site.render": set(), "contribute.edit": {"build"}, "build": set()}
    assert upward_imports(graph) == ["catalog.load imports site.render", "engines.hook imports contribute.edit"]
    with pytest.raises(LookupError, match="newthing: in no layer"):
        upward_imports({"newthing": set()})


def test_the_import_reader_resolves_subpackages(tmp_path):
    (tmp_path / "catalog").mkdir()
    files = {"catalog/__init__.py": "", "catalog/load.py": "from . import model\nfrom ..urls import entry_page\n",
             "catalog/model.py": "from slmsurvey.text import casing\n", "text/__init__.py": "", "text/casing.py": "",
             "urls.py": "import slmsurvey.catalog.model\n"}
    (tmp_path / "text").mkdir()
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert import_graph(tmp_path) == {"catalog": set(), "catalog.load": {"catalog.model", "urls"},
                                      "catalog.model": {"text.casing"}, "text": set(), "text.casing": set(),
                                      "urls": {"catalog.model"}}


def test_the_command_line_rule_finds_exits_and_imports(broken_package):
    assert command_line_leaks(broken_package) == ["c.py: imports the command line", "c.py:6: ends the process",
                                                 "c.py:9: ends the process"]
