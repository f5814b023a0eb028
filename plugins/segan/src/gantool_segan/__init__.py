"""gantool plugin package `gantool_segan`."""
