"""Data recipes for `gantool data build`: shifted versions of scikit-learn's digits."""
