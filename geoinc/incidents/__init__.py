"""Incident records from articles, coded as ACLED codes them.

extract (the sentence loop), lexicons (data tables: triggers, modality cues, actors, toll words), actors,
counts, dates, taxonomy, record (draft -> Incident, notes, frame), merge (reports of one incident).
"""
