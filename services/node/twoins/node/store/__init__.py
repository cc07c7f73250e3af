"""The node's storage: tables, migrations, repositories and the in-memory catalogue."""
