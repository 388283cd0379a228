"""Executors that run the coder over batches: local processes now, a cluster engine as an extra."""
