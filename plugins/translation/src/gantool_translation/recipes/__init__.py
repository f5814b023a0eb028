"""Data recipes of the translation tasks, built from a folder of photographs."""
