"""The write side: validated changes to entities and relationships, each one transaction with its history."""
