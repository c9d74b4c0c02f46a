from .loader import DEFAULT_RULES_DIR, Rules, RulesError, configured_rules_dir, load_rules

__all__ = ["DEFAULT_RULES_DIR", "Rules", "RulesError", "configured_rules_dir", "load_rules"]
