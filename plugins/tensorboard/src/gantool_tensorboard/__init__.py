"""gantool plugin package `gantool_tensorboard`."""
