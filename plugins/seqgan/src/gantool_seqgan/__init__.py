"""gantool plugin: text generation with a policy-gradient sequence GAN (SeqGAN)."""
