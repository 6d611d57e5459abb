"""The local gazetteer: merged place sources (curated rows, GeoNames, countries, regions, learned places) and
their on-disk index, with the name look-ups the geoparser and the claim checker use."""
