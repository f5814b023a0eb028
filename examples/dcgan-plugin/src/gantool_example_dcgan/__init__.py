"""An example third-party gantool plugin: a tiny DCGAN task and a CSV training logger."""

__version__ = "0.1.0"
