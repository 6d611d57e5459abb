"""The incident store: its protocol and its backends, each owning its schema and its SQL."""
