"""The `twoins` command: running the network locally and its tools."""
