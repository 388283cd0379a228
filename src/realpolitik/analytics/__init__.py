"""Relations analytics over the event store: dyad series, change points, the alignment network."""
