"""The monitor: network health (built by the monitoring issue)."""
