"""What a node does on its own, beside the calls it answers: background jobs."""
