"""Generates the Python code of the contract in protos/ (used by `make protos` and the staleness test)."""

from __future__ import annotations

import sys
from pathlib import Path

from grpc_tools import protoc
from importlib.resources import files

PROTO_ROOT = Path(__file__).resolve().parent.parent / "protos"


def proto_files(root: Path = PROTO_ROOT) -> list[Path]:
    return sorted((root / "twoins" / "v1").glob("*.proto"))


def generate(output_dir: Path, root: Path = PROTO_ROOT) -> None:
    """Writes *_pb2.py, *_pb2.pyi and *_pb2_grpc.py for every .proto under `root` into `output_dir`."""
    well_known_types = str(files("grpc_tools") / "_proto")
    arguments = [
        "grpc_tools.protoc",
        f"--proto_path={root}",
        f"--proto_path={well_known_types}",
        f"--python_out={output_dir}",
        f"--pyi_out={output_dir}",
        f"--grpc_python_out={output_dir}",
        *(str(path.relative_to(root)) for path in proto_files(root)),
    ]
    if protoc.main(arguments) != 0:
        raise SystemExit("protoc failed: see the messages above")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PROTO_ROOT
    generate(target)
    print(f"generated Python code for {len(proto_files())} proto files in {target}")
