"""Incident records from articles, coded as ACLED codes them: extraction, dates, taxonomy, merging."""
