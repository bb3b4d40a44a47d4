"""Custom Rasa NLU components (see config.yml) and one Rasa performance fix they install."""
from components import action_validation

action_validation.install()
