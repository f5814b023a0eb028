"""gantool plugin package `gantool_vawgan`."""
