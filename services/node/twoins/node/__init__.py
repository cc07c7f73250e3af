"""A region's cluster node: the system of record of its SMEs and its side of the exchange."""
