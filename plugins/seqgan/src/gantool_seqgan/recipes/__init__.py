"""Data recipes of the seqgan plugin."""
