"""Data recipes for `gantool data build`: synthetic lesion phantoms."""
