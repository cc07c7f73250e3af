"""The contract's messages as domain values and back, for the API and the bus alike: the one
place a field of twoins.v1 meets the domain."""
