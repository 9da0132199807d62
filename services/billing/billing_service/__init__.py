"""Reference billing service: the HTTP contract the assistant's actions call."""
