"""The node's side of the bus: events out through the outbox, network events in."""
