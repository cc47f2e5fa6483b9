"""Live changes: the graph's own change log, tailed by every process and fanned out to subscribers."""
