import pytest

from forkdocs import InvalidArgument, format_address, format_size, parse_size


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 KiB", 4096),
        ("8MiB", 8 << 20),
        ("1.5 KiB", 1536),
        ("1 gib", 1 << 30),
        (4096, 4096),
        ("12", 12),
    ],
)
def test_parse_size_accepts_binary_units(text: str | int, expected: int) -> None:
    assert expected == parse_size(text)


@pytest.mark.parametrize("bad", ["lots", "4 KB", "-1", "0.3 B", -5, True])
def test_parse_size_rejects_what_is_not_a_size_and_names_it(bad: object) -> None:
    with pytest.raises(InvalidArgument, match="ram"):
        parse_size(bad, what="ram")  # type: ignore[arg-type]


def test_format_size_and_address() -> None:
    assert [
        format_size(1 << 20),
        format_size(1536),
        format_size(100),
    ] == ["1 MiB", "1.5 KiB", "100 B"]
    assert format_address(4096) == "0x00001000 (4096)"
