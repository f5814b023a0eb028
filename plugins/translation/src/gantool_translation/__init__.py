"""gantool plugin package `gantool_translation`."""
