"""The angka kredit domain (pure Python, exact fractions)."""
