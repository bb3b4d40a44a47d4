"""Benchmarks of the shipped configuration against Rasa's default one (`make bench`)."""
