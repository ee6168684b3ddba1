"""Message catalogs, one module per feature: TEXTS = {key: (Vietnamese, English)}."""
