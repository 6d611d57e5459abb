"""Distance, direction and border claims: parsed from text, then measured against real geometry."""
