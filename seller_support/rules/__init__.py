from .loader import DEFAULT_RULES_DIR, Rules, RulesError, load_rules

__all__ = ["DEFAULT_RULES_DIR", "Rules", "RulesError", "load_rules"]
