"""The fast .bib scanner reads exactly what bibtexparser reads (bench/bib_equiv.py does more)."""

from __future__ import annotations

import pickle
import random

import pytest
from helpers import CORPUS

from papertrack.parse.bib import parse_bib
from papertrack.parse.bibentry import BibEntry, BibFile
from papertrack.parse.bibreference import parse_bib_reference


def _sig(bf: BibFile) -> tuple:
    return (
        bf.encoding,
        [(e.key, e.type, e.file, e.line, e.fields, e.field_names) for e in bf.entries],
        [(d.rule, d.file, d.line, d.col, d.message, d.extra) for d in bf.diagnostics],
    )


def _same(text: str | bytes) -> BibFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    fast = parse_bib("refs.bib", data)
    assert _sig(fast) == _sig(parse_bib_reference("refs.bib", data))
    return fast


TRICKY = [
    # strings: resolved case-insensitively, first exact definition wins, later case variant wins
    '@string{acl = "Assoc"}\n@string{ACL = {Other}}\n'
    '@misc{a, publisher = acl, note = acl # " x", title = {T}}\n',
    # duplicate fields (kept aside, untransformed), duplicate keys (first wins), no fields
    '@misc{x, title = {A}, title = "B", year=2020}\n'
    "@misc{y, title={1}}\n@misc{y, title={2}}\n@misc{z}\n@misc{w,}\n",
    # escapes and nesting, BibDesk capitals, tabs, CRLF
    '@article{k1,\r\n\tTitle = {{The \\"{U}ber {\\em Case}}},\r\n'
    '\tAuthor = "M{\\"u}ller, J. and \\"O",\r\n\tYear = 1999}\r\n',
    # a backslash before a newline is not counted as a line break by bibtexparser
    "@misc{a, title = {x \\\ny}}\n\n@misc{b, title = {y}}\n",
    # broken blocks: unclosed brace, missing comma, garbage, parenthesised entry, comments
    "@article{bad, title = {Unclosed,\n  year = 2020\n\n@misc{ok, title={Fine}}\n",
    "@misc{nocomma title = {x}}\n@misc{ok2, title = {y}}\n% comment @misc{c, title={z}}\n",
    "@misc(paren, title = {x})\n@comment{anything {here}}\n"
    '@preamble{"\\newcommand{\\x}{y}"}\n@misc{ok3, title={t}}\n',
    '@misc{q, title = "a{"}b", year = 1}\n@misc{r, title = {a {"} b}}\n',
    "@misc{deep, title = {a{b{c{d{e{f{g}}}}}}}}\n@misc{after, title={t}}\n",
    "   @misc{indented, title={t}}\n\f@misc{formfeed, title={t}}\n"
    "@misc{inline, title={t}} @misc{same, line={x}}\n",
    "@misc{at, note = {mail me @home}, url = {https://x.org/@user{1}}}\n",
    "@misc{multi, abstract = {line one\n@misc{inner, title = {x}}\n}}\n@misc{last, title={t}}\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_blocks_match_bibtexparser(text):
    _same(text)


def test_latin1_and_binary():
    bf = _same("@misc{a, author = {M\xfcller}}\n".encode("latin-1"))
    assert bf.encoding == "latin-1" and bf.entries[0].fields["author"] == "M\xfcller"
    assert _same(b"\x00\x01binary").diagnostics[0].rule == "bib-parse-error"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")
def test_corpus_bibs_and_damaged_copies_match_bibtexparser():
    rng = random.Random(3)
    noise = [
        "{",
        "}",
        '"',
        ",",
        "=",
        "\n",
        "\\",
        "@misc{",
        "#",
        "%",
        "(",
        '{"}',
        "\n@string{s = {v}}\n",
    ]
    for path in sorted(CORPUS.rglob("*.bib")):
        data = path.read_bytes()
        _same(data)
        text = data.decode("utf-8", "replace")[:20000]
        for _ in range(8):
            t = text
            for _ in range(rng.randint(1, 6)):
                i = rng.randrange(len(t) + 1)
                t = t[:i] + rng.choice(noise) + t[i + rng.randint(0, 2) :]
            _same(t)


def test_compact_round_trip_and_lazy_fields():
    text = (
        '@string{j = "Journal"}\n@article{a, title = {{T}itle}, journal = j, year = 2001}\n'
        "@misc{b, title={1}, title={2}}\n"
    )
    bf = _same(text)
    back = BibFile.from_compact(pickle.loads(pickle.dumps(bf.to_compact())))
    assert _sig(back) == _sig(bf)
    assert back.entries[0].fields == {"title": "{T}itle", "journal": "Journal", "year": "2001"}
    # entries made by hand (e.g. from \bibitem) survive the compact form too
    hand = BibFile("x.bib", [BibEntry("k", "bibitem", "x.bib", 3, {"title": "T"})])
    assert _sig(BibFile.from_compact(hand.to_compact())) == _sig(hand)
    assert pickle.loads(pickle.dumps(bf.entries[0])) == bf.entries[0]
