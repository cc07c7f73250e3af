"""What tests share: real servers, valid requests, reading rich gRPC errors."""
