"""The architecture's rules, checked on the source so that they cannot rot.

Like Home Assistant's hassfest: the import direction of ARCHITECTURE.md, and the generated
code of the contract kept current with its .proto files.
"""

from __future__ import annotations

import ast
import filecmp
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "services"
DOMAIN = SERVICES / "node" / "twoins" / "node" / "domain"
GENERATED = ROOT / "protos" / "twoins" / "v1"

FORBIDDEN_IN_DOMAIN = (
    "grpc",
    "grpc_status",
    "grpc_health",
    "google.protobuf",
    "google.rpc",
    "nats",
    "flask",
    "sqlalchemy",
    "alembic",
    "twoins.v1",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def python_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if "migrations" not in path.parts)


def test_domain_imports_only_itself_and_no_frameworks() -> None:
    offences = []
    for path in python_files(DOMAIN):
        for module in imported_modules(path):
            framework = any(
                module == name or module.startswith(name + ".") for name in FORBIDDEN_IN_DOMAIN
            )
            ours_outside = module.startswith("twoins.") and not module.startswith(
                "twoins.node.domain"
            )
            if framework or ours_outside:
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offences, "\n".join(offences)


def test_services_never_import_the_gateway() -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(SERVICES)
        for module in imported_modules(path)
        if module == "twoins.gateway" or module.startswith("twoins.gateway.")
    ]
    assert not offences, "\n".join(offences)


def test_gateway_reaches_nodes_only_over_grpc() -> None:
    """The gateway uses the contract and the shared code, never a node's internals."""
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(ROOT / "gateway")
        for module in imported_modules(path)
        if module.startswith(("twoins.node", "twoins.monitor", "twoins.cli"))
    ]
    assert not offences, "\n".join(offences)


def test_common_does_not_depend_on_the_services_it_serves() -> None:
    common = SERVICES / "common"
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(common)
        for module in imported_modules(path)
        if module.startswith(("twoins.node", "twoins.monitor", "twoins.cli"))
    ]
    assert not offences, "\n".join(offences)


NODE = SERVICES / "node" / "twoins" / "node"

# Inside the node, `api → (bus, store) → domain`: what each part must never import. Beside
# them: `messages` (the contract as domain values) under api and bus; `context` (what the
# servicers and the bus worker share) under both; `notify` (what each change mails whom)
# under context; `jobs` (background work) above api; the
# server that wires it all at the top.
_ABOVE = {
    "store": ("api", "bus", "jobs", "messages", "notify", "context", "server"),
    "messages": ("api", "bus", "store", "jobs", "notify", "context", "server"),
    "notify": ("api", "bus", "jobs", "context", "server"),
    "bus": ("api", "jobs", "server"),
    "api": ("jobs", "server"),
    "context": ("api", "bus", "jobs", "server"),
}


def _part_of_node(path: Path, node: Path) -> str:
    relative = path.relative_to(node)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def layer_offences(node: Path) -> list[str]:
    offences = []
    for path in python_files(node):
        forbidden = _ABOVE.get(_part_of_node(path, node), ())
        for module in imported_modules(path):
            upper = module.removeprefix("twoins.node.").split(".", 1)[0]
            if module.startswith("twoins.node.") and upper in forbidden:
                offences.append(f"{path.relative_to(node)} imports {module}")
    return sorted(offences)


def session_offences(node: Path) -> list[str]:
    """Database sessions and SQL outside `store/`: only its errors may be named elsewhere."""
    offences = []
    for path in python_files(node):
        if _part_of_node(path, node) == "store":
            continue
        for module in imported_modules(path):
            if module.split(".")[0] == "sqlalchemy" and module != "sqlalchemy.exc":
                offences.append(f"{path.relative_to(node)} imports {module}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offences.extend(
            f"{path.relative_to(node)}:{found.lineno} uses a session"
            for found in ast.walk(tree)
            if isinstance(found, ast.Attribute) and found.attr == "session"
        )
    return sorted(offences)


def test_node_layers_import_only_downwards() -> None:
    offences = layer_offences(NODE)
    assert not offences, "\n".join(offences)


def test_every_database_session_stays_inside_the_store() -> None:
    offences = session_offences(NODE)
    assert not offences, "\n".join(offences)


def test_the_node_checks_see_planted_offences(tmp_path: Path) -> None:
    for part in ("bus", "api", "store"):
        (tmp_path / part).mkdir()
    (tmp_path / "bus" / "relay.py").write_text(
        "from twoins.node.api.needs import NeedServicer\n", encoding="utf-8"
    )
    (tmp_path / "api" / "needs.py").write_text(
        "from sqlalchemy import select\n\n\ndef f(r):\n    return r.session.get(1)\n",
        encoding="utf-8",
    )
    (tmp_path / "store" / "rows.py").write_text(
        "from sqlalchemy import select\nfrom twoins.node.domain.need import Need\n",
        encoding="utf-8",
    )
    assert layer_offences(tmp_path) == ["bus/relay.py imports twoins.node.api.needs"]
    assert session_offences(tmp_path) == [
        "api/needs.py imports sqlalchemy",
        "api/needs.py:5 uses a session",
    ]


def test_the_checks_see_a_planted_offence(tmp_path: Path) -> None:
    planted = tmp_path / "bad.py"
    planted.write_text("import sqlalchemy\nfrom twoins.gateway import app\n", encoding="utf-8")
    assert imported_modules(planted) == {"sqlalchemy", "twoins.gateway"}


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_protos", ROOT / "scripts" / "generate_protos.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_protos"] = module
    spec.loader.exec_module(module)
    return module


def test_generated_code_is_current_with_the_protos(tmp_path: Path) -> None:
    generator = _load_generator()
    generator.generate(tmp_path)
    fresh = sorted(
        path.relative_to(tmp_path)
        for pattern in ("*_pb2*.py*", "*.binpb")
        for path in tmp_path.rglob(pattern)
    )
    committed = sorted(
        path.relative_to(ROOT / "protos")
        for pattern in ("*_pb2*.py*", "*.binpb")
        for path in (ROOT / "protos").rglob(pattern)
        if "__pycache__" not in path.parts
    )
    assert fresh == committed, "generated files differ: run `make protos` and commit"
    stale = [
        str(path)
        for path in fresh
        if not filecmp.cmp(tmp_path / path, ROOT / "protos" / path, shallow=False)
    ]
    assert not stale, f"stale generated code (run `make protos` and commit): {stale}"


@pytest.mark.parametrize(
    "name",
    [
        "common",
        "organisation",
        "assessment",
        "business_plan",
        "need",
        "expert_offer",
        "events",
        "network",
        "network_health",
        "referral",
        "disclosure",
        "knowledge",
    ],
)
def test_every_proto_file_has_generated_code(name: str) -> None:
    assert (GENERATED / f"{name}.proto").exists()
    assert (GENERATED / f"{name}_pb2.py").exists()


def test_the_command_line_imports_no_metrics_library_before_a_command_runs() -> None:
    """`twoins gateway serve` sets the metrics folder its workers share before anything
    imports prometheus_client; a command module that imports it at load breaks the gateway."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, twoins.cli.main; print('prometheus_client' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "False"


@pytest.mark.parametrize(
    ("command", "not_loaded"),
    [
        ("mailcatcher", "twoins.node"),
        ("monitor serve", "twoins.node"),
        ("bus keeper", "twoins.node.server"),
        ("node serve", "twoins.monitor"),
        ("gateway serve", "twoins.node.server"),
    ],
)
def test_a_service_command_loads_only_its_own_part(command: str, not_loaded: str) -> None:
    """`twoins <part> …` imports that part's commands only: each service process of the
    network holds its own code, not every part's (a node's, the monitor's, the gateway's…)."""
    loaded = (
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys\n"
                "from twoins.cli.main import cli\n"
                f"cli.main({[*command.split(), '--help']!r}, standalone_mode=False)\n"
                f"print(sorted(name for name in sys.modules if name.startswith({not_loaded!r})))",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    assert loaded == "[]"
