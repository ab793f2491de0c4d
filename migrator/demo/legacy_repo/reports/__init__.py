"""The weekly reports: where the Config API is (`endpoints`), and what each report asks it."""
