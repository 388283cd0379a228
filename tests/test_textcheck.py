import pytest

from realpolitik.errors import DocumentTooLargeError, EmptyInputError, NotEnglishError
from realpolitik.textcheck import check_text, looks_english, split_pieces


@pytest.mark.parametrize(("text", "english"), [
    ("Turkish jets struck positions of the PKK in the mountains of northern Iraq on Monday.", True),
    ("Syrian government forces shelled rebel-held districts of eastern Aleppo.", True),
    ("Las fuerzas del gobierno atacaron las posiciones de los rebeldes en el norte del país.", False),
    ("Die Regierung hat die Sanktionen gegen das Land nicht aufgehoben und will weiter verhandeln.", False),
    ("Москва и Анкара договорились о прекращении огня на севере Сирии в понедельник вечером.", False),
    ("بغداد تدعو واشنطن إلى سحب قواتها من العراق بعد الهجوم على القاعدة العسكرية", False),
])
def test_language(text, english):
    assert looks_english(text) is english


def test_check_text_errors():
    with pytest.raises(EmptyInputError):
        check_text("  \n ", max_chars=100, check_language=True)
    with pytest.raises(DocumentTooLargeError):
        check_text("x " * 100, max_chars=50, check_language=False, source="big.txt")
    with pytest.raises(NotEnglishError) as exc:
        check_text("Las fuerzas del gobierno atacaron las posiciones de los rebeldes en el norte.",
                   max_chars=1000, check_language=True, source="es.txt", line=4)
    assert str(exc.value).startswith("es.txt:4:")


def test_split_pieces_cover_the_text_at_boundaries():
    text = ("A sentence here. " * 40 + "\n\n") * 30
    pieces = split_pieces(text, 1000)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 1000 for _, p in pieces)
    assert all(text[o:o + len(p)] == p for o, p in pieces)
    assert all(p.endswith(("\n\n", ". ", " ")) for _, p in pieces[:-1])
