"""Registers the plugin's tasks: metadata and import paths only."""
