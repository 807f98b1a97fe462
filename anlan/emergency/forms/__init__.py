"""The emergency module's forms, one module per part."""
