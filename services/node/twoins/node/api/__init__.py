"""The node's gRPC servicers and the one interceptor that maps errors to status."""
