"""The emergency module's demo, one module per part."""
