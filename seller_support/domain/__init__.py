"""What the product knows and decides, with no web framework in it."""
