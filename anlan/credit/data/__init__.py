"""Data the credit rules rest on, each item with its source and how sure it is."""
