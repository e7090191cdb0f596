"""Tables, repositories, protobuf mapping, the ports' adapters."""
