"""The C allocator's settings the servers ask for (`twoins.common.allocator`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from twoins.common.allocator import SERVER_ARENAS, limit_arenas, release_free_memory


def test_the_arena_limit_is_taken_and_a_bad_one_refused() -> None:
    # In a child process: the limit lasts as long as the process.
    taken = subprocess.run(
        [
            sys.executable,
            "-c",
            "from twoins.common.allocator import limit_arenas, SERVER_ARENAS;"
            "print(limit_arenas(SERVER_ARENAS))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert taken.stdout.strip() == str(sys.platform == "linux")
    assert SERVER_ARENAS >= 1
    with pytest.raises(ValueError, match="at least one arena"):
        limit_arenas(0)
    release_free_memory()  # harmless whenever it runs
