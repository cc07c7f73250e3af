"""The anonymiser: what of an SME's need may leave the node, and in what form."""
