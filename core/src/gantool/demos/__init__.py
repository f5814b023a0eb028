"""Demo tasks that prove the core: the 8-Gaussians ring and DCGAN on digits."""
