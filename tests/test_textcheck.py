import pytest

from realpolitik.errors import DocumentTooLargeError, EmptyInputError, NotEnglishError
from realpolitik.textcheck import check_text, looks_english, not_english_reason, split_pieces


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


# Short news sentences in other languages (scripts without spaces, short texts) are not English;
# English news full of foreign names is.
FOREIGN = {
    "Chinese": "北京和莫斯科周一签署了一项新的天然气协议。",
    "Chinese headline": "外长抵达东京",
    "Japanese": "日本政府は月曜日、韓国との首脳会談を来月開くと発表した。",
    "Korean": "서울과 도쿄는 화요일에 새로운 무역 협정에 서명했다.",
    "Greek": "Η κυβέρνηση της Αθήνας ανακοίνωσε νέες κυρώσεις.",
    "Arabic": "أعلنت الحكومة في بغداد عن اتفاق جديد مع طهران.",
    "Russian": "Москва и Анкара подписали соглашение о газе.",
    "Russian headline": "Путин прибыл в Минск",
    "Hebrew": "ראש הממשלה נפגש עם נשיא מצרים בקהיר.",
    "Hindi": "भारत और पाकिस्तान के विदेश मंत्रियों ने सोमवार को मुलाकात की।",
    "Thai": "รัฐบาลไทยประกาศมาตรการใหม่เมื่อวันจันทร์",
    "French": "Le ministre a rencontré son homologue à Paris.",
    "Spanish": "El gobierno de Chile anunció nuevas medidas contra la inflación.",
    "German": "Die Regierung hat die neuen Sanktionen gegen das Land beschlossen.",
    "Italian": "Il governo di Roma ha firmato un accordo con la Libia.",
    "Portuguese": "O presidente do Brasil viajou para Lisboa na segunda-feira com os ministros.",
    "Turkish": "Cumhurbaşkanı bu hafta Ankara ile Bakü arasında bir anlaşma imzaladı.",
    "Indonesian": "Pemerintah Indonesia akan mengirim bantuan ke Sulawesi dengan kapal.",
    "Polish": "Premier spotkał się w Warszawie z prezydentem Ukrainy.",
    "Vietnamese": "Thủ tướng Việt Nam đã gặp các nhà lãnh đạo của Lào trong tuần này.",
    "Dutch": "De regering heeft het nieuwe verdrag met België niet getekend.",
}
ENGLISH = {
    "names": "Recep Tayyip Erdoğan and Pedro Sánchez met Alaksandr Łukaszenka, Xi Jinping and Mohammed bin "
             "Salman at a summit in Riyadh on Tuesday, where Erdoğan said the talks with Sánchez had been useful.",
    "particles": "Staffan de Mistura met Lula da Silva and Ursula von der Leyen in Geneva.",
    "Arabic names": "Al-Sadr, al-Maliki and al-Abadi meet in Najaf",
    "initials": "Nobel laureate F.W. de Klerk wrote to parliament",
    "headline": "UN non-proliferation talks stall",
    "two names": "Erdoğan visits Sánchez",
    "a list of names": "Erdoğan, Sánchez, Łukaszenka, Xi Jinping, Mohammed bin Salman",
    "names in their scripts": "Xi Jinping (习近平) met Vladimir Putin (Владимир Путин) in Moscow on Monday.",
    "capitals": "TURKEY AND RUSSIA AGREE ON A CEASEFIRE",
    "place names": "Tour de France riders protest in Nice as La Paz and El Paso send envoys",
    "a quotation": "The minister told reporters in Madrid that the plan was, in his words, 'una vergüenza', "
                   "and said he would vote against it.",
}


@pytest.mark.parametrize("language", FOREIGN)
def test_text_in_another_language_is_not_english(language):
    assert not looks_english(FOREIGN[language])
    with pytest.raises(NotEnglishError, match="does not look like English"):
        check_text(FOREIGN[language], max_chars=1000, check_language=True, source="in.txt")
    check_text(FOREIGN[language], max_chars=1000, check_language=False)  # the setting turns it off


@pytest.mark.parametrize("kind", ENGLISH)
def test_english_news_with_foreign_names_is_english(kind):
    assert not_english_reason(ENGLISH[kind]) is None


def test_the_reason_names_the_script():
    assert "CYRILLIC" in str(pytest.raises(NotEnglishError, check_text, FOREIGN["Russian"], max_chars=1000,
                                           check_language=True).value)


@pytest.mark.slow
@pytest.mark.parametrize("language", ["Chinese", "Japanese", "Russian headline", "Greek", "Spanish"])
def test_the_coder_rejects_text_in_another_language(coder, language):
    from realpolitik.model import Document

    [foreign, english] = coder.pipe([Document(id="x", text=FOREIGN[language], source="in.jsonl", line=3),
                                     Document(id="y", text=ENGLISH["names"])])
    assert isinstance(foreign.error, NotEnglishError) and str(foreign.error).startswith("in.jsonl:3: ")
    assert english.ok
    with pytest.raises(NotEnglishError):
        coder.code(FOREIGN[language])


def test_the_word_lists_are_valid():
    from realpolitik.textcheck import _data

    words = _data("function_words.csv")
    english = {r["word"] for r in words if r["language"] == "English"}
    assert len(english) > 50 and all(r["word"] == r["word"].lower().strip() and r["word"] for r in words)
    assert not [r for r in words if r["language"] != "English" and r["word"] in english]
    particles = {r["word"] for r in _data("name_particles.csv")}
    assert {"de", "bin", "al", "von"} <= particles and not particles & english


@pytest.mark.slow
def test_the_command_line_says_why_a_text_is_skipped_and_can_code_it_anyway(tmp_path, coder):
    from typer.testing import CliRunner

    from realpolitik.cli import app

    (tmp_path / "zh.txt").write_text(FOREIGN["Chinese"], encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH["names"], encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["code", str(tmp_path), "--date", "2019-01-10"])
    assert r.exit_code == 1
    assert f"{tmp_path / 'zh.txt'}: the text does not look like English (most of its letters are CJK" in r.stderr
    assert f'"doc_id": "{tmp_path / "en.txt"}"' in r.stdout
    anyway = runner.invoke(app, ["code", str(tmp_path / "zh.txt"), "--any-language"])
    assert anyway.exit_code == 0 and "does not look like English" not in anyway.stderr


@pytest.mark.parametrize("headline", ["Iran's de facto ruler speaks", "Protesters gather en masse in Minsk",
                                      "Senate passes the budget bill en bloc"])
def test_a_short_english_headline_with_a_loan_word_is_english(headline):
    assert looks_english(headline)
