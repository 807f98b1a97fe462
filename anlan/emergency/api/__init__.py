"""The emergency module's api, one module per part."""
