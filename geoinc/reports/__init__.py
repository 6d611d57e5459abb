"""Reports: one self-contained HTML page (and PDF) from a region and a period of stored incidents."""
