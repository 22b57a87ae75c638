"""What tests, benchmarks and chaos runs share to run the real services: one way to start a process."""
