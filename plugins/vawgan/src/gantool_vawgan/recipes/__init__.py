"""Data recipes of the `vawgan` task."""
