"""Data recipes that ship with the core: `gantool data build NAME` writes them offline."""
