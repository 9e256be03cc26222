import gzip
import json
import tracemalloc

import pytest

from organizations import brreg
from tests.organizations.conftest import DELETED, FIXTURES, SLOW


def test_fetch_unit_reads_the_api_shape(fake_brreg):
    unit = brreg.fetch_unit("100000008")
    profile = brreg.unit_profile(unit)
    assert profile["name"] == "SKOGLY SJAKKLUBB"
    assert profile["postal_address"] == "c/o Fiktiv Person\nPostboks 1234\n5003 BERGEN"
    assert profile["website"] == "https://www.skogly-sjakk.example.no"
    assert profile["municipality_number"] == "4601"
    assert profile["founded_year"] == 2004
    assert fake_brreg.requests == ["/enhetsregisteret/api/enheter/100000008"]


def test_unknown_deleted_and_slow_units(fake_brreg):
    with pytest.raises(brreg.UnitNotFound):
        brreg.fetch_unit("100000016")
    with pytest.raises(brreg.UnitDeleted):
        brreg.fetch_unit(DELETED)
    with pytest.raises(brreg.BrregError) as error:
        brreg.fetch_unit(SLOW)
    assert not isinstance(error.value, brreg.UnitNotFound | brreg.UnitDeleted)


def test_nothing_listens(settings):
    settings.BRREG_API_URL = "http://127.0.0.1:9/api"
    with pytest.raises(brreg.BrregError):
        brreg.fetch_unit("100000008", timeout=0.5)


def test_search_pages_through_every_page(fake_brreg):
    units = list(brreg.search_all(municipality_number="4601", size=3))
    assert [u["organisasjonsnummer"] for u in units] == [
        "100000016",
        "100000024",
        "100000032",
        "100000040",
        "100000059",
    ]
    assert len(fake_brreg.requests) == 2
    assert "registrertIFrivillighetsregisteret=true" in fake_brreg.requests[0]
    assert "page=1" in fake_brreg.requests[1]


def test_files_saved_page_and_bulk():
    assert len(list(brreg.iter_file(FIXTURES / "enheter_4601_side0.json"))) == 3
    bulk = [u["organisasjonsnummer"] for u in brreg.iter_file(FIXTURES / "enheter_lastned.json.gz")]
    assert bulk[:2] == ["100000016", "100000024"] and len(bulk) == 8


@pytest.mark.parametrize("gzipped", [False, True])
def test_bulk_file_reads_back_exactly(tmp_path, gzipped):
    units = [
        {"organisasjonsnummer": str(n), "navn": f"Lag {n} – «æøå» ]}}[{{{{", "tall": [1, 2.5, None]} for n in range(50)
    ]
    text = json.dumps(units, ensure_ascii=False, indent=2)
    path = tmp_path / "enheter.json.gz"
    with (gzip.open if gzipped else open)(path, "wt", encoding="utf-8") as stream:
        stream.write(text)
    assert list(brreg.iter_file(path)) == units


def test_bulk_file_saved_with_a_byte_order_mark_reads(tmp_path):
    path = tmp_path / "enheter.json"
    path.write_text('\ufeff [{"organisasjonsnummer": "1"}, {"organisasjonsnummer": "2"}]', encoding="utf-8")
    assert [unit["organisasjonsnummer"] for unit in brreg.iter_file(path)] == ["1", "2"]


def test_anything_after_the_array_is_an_error_not_a_silent_end(tmp_path):
    # Two downloads run together, say: the second is not left out without a word.
    path = tmp_path / "enheter.json"
    path.write_text('[{"organisasjonsnummer": "1"}][{"organisasjonsnummer": "2"}]')
    with pytest.raises(brreg.BrregError):
        list(brreg.iter_file(path))


def test_truncated_array_is_an_error(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('[{"organisasjonsnummer": "1"}, {"navn": "halv')
    with pytest.raises(brreg.BrregError):
        list(brreg.iter_file(path))


def _bulk_file(path, count):
    unit = json.loads((FIXTURES / "enhet_100000008.json").read_text())
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write("[")
        for n in range(count):
            unit["organisasjonsnummer"] = f"{200000000 + n}"
            stream.write(("," if n else "") + json.dumps(unit, ensure_ascii=False))
        stream.write("]")
    return path


def _peak_while_streaming(path):
    tracemalloc.start()
    count = sum(1 for _unit in brreg.iter_file(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, peak


def test_memory_stays_flat_with_the_size_of_the_bulk_file(tmp_path):
    small = _bulk_file(tmp_path / "small.json.gz", 2_000)
    large = _bulk_file(tmp_path / "large.json.gz", 20_000)
    assert large.stat().st_size > 5 * small.stat().st_size
    small_count, small_peak = _peak_while_streaming(small)
    large_count, large_peak = _peak_while_streaming(large)
    assert (small_count, large_count) == (2_000, 20_000)
    # Ten times the units, about the same memory: well under what holding them would take.
    assert large_peak < small_peak * 1.5
    assert large_peak < 2_000_000
