"""What node, monitor and gateway share: regions, code lists, envelope, broker config, logs."""
