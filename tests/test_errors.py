import pickle

import pytest

from realpolitik import errors


def test_every_error_is_a_realpolitik_error():
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.RealpolitikError)


def test_tree_in_docstring_names_every_error():
    for name in errors.__all__:
        assert name in errors.__doc__, name


@pytest.mark.parametrize(("source", "line", "text"), [
    ("a.txt", 3, "a.txt:3: bad"), ("a.txt", None, "a.txt: bad"), (None, None, "bad")])
def test_input_error_names_file_and_line(source, line, text):
    e = errors.MalformedRecordError("bad", source, line)
    assert str(e) == text


def test_input_error_pickles_with_location():
    e = errors.EmptyInputError("empty", "x.jsonl", 7)
    back = pickle.loads(pickle.dumps(e))
    assert (type(back), back.source, back.line, str(back)) == (errors.EmptyInputError, "x.jsonl", 7, "x.jsonl:7: empty")


def test_data_file_error_lists_problems():
    e = errors.ActorFileError("not valid", "f.yaml", ["one", "two"])
    assert "f.yaml" in str(e) and "- one" in str(e) and "- two" in str(e)
