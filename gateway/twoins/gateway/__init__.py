"""The gateway: the network's front door for people and programs (built by the identity issue)."""
