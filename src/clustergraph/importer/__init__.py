"""Bulk import of nodes and relationships (also how the seed graph is loaded)."""
