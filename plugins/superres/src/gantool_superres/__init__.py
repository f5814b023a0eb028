"""gantool plugin: 4x single-image super-resolution with SRResNet and SRGAN (Ledig et al. 2017)."""
