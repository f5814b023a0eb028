"""Domain-adversarial training (DANN, Ganin et al. 2016) as a gantool plugin."""
