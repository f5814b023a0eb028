"""gantool plugin package `gantool_seqgan`."""
