"""Generates the Python code of the contract in protos/ (`make protos`, the staleness test)."""

from __future__ import annotations

import shutil
import sys
from importlib.resources import files
from pathlib import Path

from grpc_tools import protoc

PROTO_ROOT = Path(__file__).resolve().parent.parent / "protos"
DESCRIPTOR_SET = Path("twoins") / "v1" / "contract.binpb"


def proto_files(root: Path = PROTO_ROOT) -> list[Path]:
    return sorted((root / "twoins" / "v1").glob("*.proto"))


def annotation_files(root: Path = PROTO_ROOT) -> list[Path]:
    """googleapis' annotations the contract uses, copied from googleapis-common-protos: that
    package brings their Python code; only their type stubs are written here, for mypy."""
    return sorted((root / "google" / "api").glob("*.proto"))


def generate(output_dir: Path, root: Path = PROTO_ROOT) -> None:
    """Writes *_pb2.py, *_pb2.pyi and *_pb2_grpc.py of every .proto under `root`, and the
    descriptor set with comments."""
    well_known_types = str(files("grpc_tools") / "_proto")
    # mypy-protobuf's plugin writes typed stubs of the service modules (*_pb2_grpc.pyi).
    grpc_stub_plugin = Path(sys.executable).parent / "protoc-gen-mypy_grpc"
    if not grpc_stub_plugin.exists():
        found = shutil.which("protoc-gen-mypy_grpc")
        if found is None:
            raise SystemExit(
                "protoc-gen-mypy_grpc not found: install the dev extra (mypy-protobuf)"
            )
        grpc_stub_plugin = Path(found)
    arguments = [
        "grpc_tools.protoc",
        f"--proto_path={root}",
        f"--proto_path={well_known_types}",
        f"--python_out={output_dir}",
        f"--pyi_out={output_dir}",
        f"--grpc_python_out={output_dir}",
        f"--plugin=protoc-gen-mypy_grpc={grpc_stub_plugin}",
        f"--mypy_grpc_out={output_dir}",
        # The contract with its comments, for what reads them at run time (the gateway's
        # OpenAPI document takes descriptions and field behaviour from them).
        f"--descriptor_set_out={output_dir / DESCRIPTOR_SET}",
        "--include_source_info",
        *(str(path.relative_to(root)) for path in proto_files(root)),
    ]
    if protoc.main(arguments) != 0:
        raise SystemExit("protoc failed: see the messages above")
    stubs = [
        "grpc_tools.protoc",
        f"--proto_path={root}",
        f"--proto_path={well_known_types}",
        f"--plugin=protoc-gen-mypy={grpc_stub_plugin.with_name('protoc-gen-mypy')}",
        f"--mypy_out={output_dir}",
        *(str(path.relative_to(root)) for path in annotation_files(root)),
    ]
    if protoc.main(stubs) != 0:
        raise SystemExit("protoc failed on the googleapis annotations: see the messages above")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PROTO_ROOT
    generate(target)
    print(f"generated Python code for {len(proto_files())} proto files in {target}")
