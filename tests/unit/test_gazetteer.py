"""The gazetteer: every official region resolves by code, official name and prefixed name."""

from __future__ import annotations

import pytest

from kerjasama_cli.gazetteer import Region, load_gazetteer

GAZ = load_gazetteer()
REGIONS = GAZ.regions


def test_table_has_38_provinces_and_514_kabupaten_kota() -> None:
    kinds = [r.kind for r in REGIONS]
    assert (kinds.count("provinsi"), kinds.count("kabupaten"), kinds.count("kota")) == (38, 416, 98)
    assert len({r.code for r in REGIONS}) == 552


def test_kab_kota_codes_follow_the_kind_rule() -> None:
    for r in REGIONS:
        if r.kind == "provinsi":
            assert r.code == r.province and "." not in r.code
        else:
            suffix = int(r.code.split(".")[1])
            assert (1 <= suffix <= 69) if r.kind == "kabupaten" else (71 <= suffix <= 99), r
            assert r.code.startswith(r.province + ".")


@pytest.mark.parametrize("region", REGIONS, ids=lambda r: r.code)
def test_code_official_name_and_display_name_resolve(region: Region) -> None:
    assert GAZ.resolve(region.code).region == region
    assert GAZ.resolve(region.official_name).region == region
    assert GAZ.resolve(region.official_name.upper()).region == region
    assert GAZ.resolve(region.display_name).region == region


@pytest.mark.parametrize("region", REGIONS, ids=lambda r: r.code)
def test_bare_name_resolves_or_is_ambiguous_including_the_region(region: Region) -> None:
    resolution = GAZ.resolve(region.name)
    assert region in resolution.matches


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Kabupaten Muara Enim", "16.03"),
        ("Kab. Muara Enim", "16.03"),
        ("Pemkab Muara Enim", "16.03"),
        ("Pemerintah Kabupaten Muara Enim", "16.03"),
        ("muaraenim", "16.03"),
        ("MUARA-ENIM", "16.03"),
        ("Tojo Una-Una", "72.09"),
        ("Tojo Unauna", "72.09"),
        ("Kota Bekasi", "32.75"),
        ("Kabupaten Bekasi", "32.16"),
        ("Provinsi Bengkulu", "17"),
        ("Kota Bengkulu", "17.71"),
        ("Pemprov Jabar", "32"),
        ("Prov. Jawa Barat", "32"),
        ("Jabar", "32"),
        ("Sumsel", "16"),
        ("Kotim", "62.02"),
        ("Benteng", "17.09"),
        ("OKU", "16.01"),
        ("PALI", "16.12"),
        ("Touna", "72.09"),
        ("Luwu", "73.17"),
        ("Luwu Timur", "73.24"),
        ("Kotabaru", "63.02"),
        ("Kota Baru", "63.02"),
        ("Toba Samosir", "12.12"),
        ("Kepulauan Siau Tagulandang Biaro", "71.09"),
    ],
)
def test_names_prefixes_and_aliases_resolve(query: str, code: str) -> None:
    assert GAZ.resolve(query).region == GAZ.by_code[code]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("Bekasi", {"32.16", "32.75"}),
        ("Bandung", {"32.04", "32.73"}),
        ("Bogor", {"32.01", "32.71"}),
        ("Bengkulu", {"17", "17.71"}),
        ("Jambi", {"15", "15.71"}),
        ("Gorontalo", {"75", "75.01", "75.71"}),
        ("Banjar", {"63.03", "32.79"}),
        ("Mura", {"16.05", "62.12"}),
    ],
)
def test_ambiguous_names_list_every_candidate(query: str, codes: set[str]) -> None:
    resolution = GAZ.resolve(query)
    assert resolution.ambiguous
    assert {r.code for r in resolution.matches} == codes
    problem = resolution.describe_problem()
    assert all(f"({code})" in problem for code in codes)


def test_no_substring_matching() -> None:
    assert GAZ.resolve("Luwu").region == GAZ.by_code["73.17"]
    assert GAZ.resolve("Muara").matches == ()
    assert GAZ.resolve("Enim").matches == ()


def test_kind_hint_excludes_other_kinds() -> None:
    resolution = GAZ.resolve("Kabupaten Bengkulu")
    assert resolution.matches == ()
    # suggested: the regions of that name, of their own kinds, then kabupaten close to it
    codes = [r.code for r in resolution.suggestions]
    assert codes[:2] == ["17", "17.71"]
    assert all(r.kind == "kabupaten" for r in resolution.suggestions[2:])


@pytest.mark.parametrize(
    ("query", "meant"),
    [("Kab. Prabumulih", "16.74"), ("Kota Muara Enim", "16.03"), ("Kota Kaur", "17.04")],
)
def test_the_wrong_kind_before_a_right_name_suggests_the_region_of_that_name(
    query: str, meant: str
) -> None:
    """An office writes "Kab. Prabumulih" for Kota Prabumulih: the name is right, the kind
    not. Nothing matches (the kind is a hint), and the region of that name comes first."""
    resolution = GAZ.resolve(query)
    assert resolution.matches == ()
    assert resolution.suggestions[0].code == meant
    assert f"({meant})?" in resolution.describe_problem()


def test_unknown_name_suggests_the_closest_official_names() -> None:
    resolution = GAZ.resolve("Muara Enimm")
    assert resolution.matches == ()
    assert resolution.suggestions[0].code == "16.03"
    assert "did you mean 'Muara Enim' (16.03)?" in resolution.describe_problem()


def test_unknown_code_does_not_resolve() -> None:
    assert GAZ.resolve("16.99").matches == ()


def test_jakarta_administrative_cities_resolve_but_cannot_be_parties() -> None:
    region = GAZ.resolve("Jakarta Selatan").region
    assert region is not None and region.code == "31.74"
    assert not region.can_be_party
    assert GAZ.by_code["31"].can_be_party


def test_every_alias_points_at_existing_codes_and_has_a_source() -> None:
    import csv
    import io
    from importlib import resources

    text = resources.files("kerjasama_cli").joinpath("reference", "aliases.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) > 100
    for row in rows:
        assert row["source"].strip(), row
        for code in row["codes"].split():
            assert code in GAZ.by_code, row
        if len(row["codes"].split()) > 1:
            assert row["note"].startswith("ambiguous"), row


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Bupati Solok", "13.02"),
        ("Wali Kota Solok", "13.72"),
        ("Walikota Solok", "13.72"),
        ("Gubernur Sumatra Barat", "13"),
        ("Pj Gubernur Jawa Barat", "32"),
        ("Pj. Bupati Kampar", "14.01"),
        ("Penjabat (Pj) Wali Kota Tangerang", "36.71"),
        ("Pelaksana Tugas (Plt) Bupati Cianjur", "32.03"),
        ("Pjs. Bupati Solok", "13.02"),
        ("Wakil Bupati Lembata", "53.13"),
        ("Sekda Provinsi Jawa Barat", "32"),
        ("Sekda Solok Selatan", "13.11"),
        ("Pemrov Jabar", "32"),
        ("Propinsi Jambi", "15"),
        ("Pemko Padangsidimpuan", "12.77"),
        ("Pemda Provinsi Bengkulu", "17"),
        ("Pemerintahan Kota Palembang", "16.71"),
        ("Kep. Riau", "21"),
        ("Sumatra Barat", "13"),
        ("Sidimpuan", "12.77"),
        ("P.Sidimpuan", "12.77"),
        ("Linggau", "16.73"),
        ("Lubuklinggau", "16.73"),
    ],
)
def test_letters_and_press_forms_resolve_titles_as_kind_hints(query: str, code: str) -> None:
    resolution = load_gazetteer().resolve(query)
    assert [r.code for r in resolution.matches] == [code]


def test_a_title_of_another_kind_does_not_resolve_and_look_alikes_never_do() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.resolve("Bupati Kota Solok").matches == ()
    for look_alike in ("Kejaksaan Negeri Kepanjen", "Kantor Pertanahan Kabupaten Kobar"):
        assert gazetteer.resolve(look_alike).matches == ()


@pytest.mark.parametrize(
    ("query", "suggested"),
    [("Kota makasar", "73.71"), ("Kab. Dharma swara", "13.10"), ("Bolang mongondow", "71.01")],
)
def test_misspelt_names_get_suggestions_never_a_match(query: str, suggested: str) -> None:
    resolution = load_gazetteer().resolve(query)
    assert resolution.matches == ()
    assert resolution.suggestions[0].code == suggested
