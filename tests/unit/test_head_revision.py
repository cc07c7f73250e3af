"""The node finds its schema current without loading Alembic: the head read off the migration
files' names must be the head Alembic computes from their revision chain."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory

from twoins.node.store.database import MIGRATIONS, head_revision


def test_head_read_off_the_file_names_is_alembics_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == [head_revision()]
    for revision in script.walk_revisions():
        assert revision.module.__file__ is not None
        assert revision.module.__file__.rsplit("/", 1)[-1].startswith(f"{revision.revision}_")
