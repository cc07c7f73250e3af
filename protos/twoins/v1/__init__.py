"""Generated Python of the twoins.v1 contract; regenerate with `make protos`."""
