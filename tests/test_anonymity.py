"""PT6xx: each anonymity leak fires on a review-mode fixture, and nothing fires outside review."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.rules.anonymity import links, metadata, review
from papertrack.rules.registry import all_rules

_HERE = Path(__file__).resolve()
CORPUS = next(
    (
        p / "shared" / "corpus"
        for p in (_HERE.parents[2].parent, _HERE.parents[1].parent)
        if (p / "shared" / "corpus").is_dir()
    ),
    _HERE.parents[1].parent / "shared" / "corpus",
)
PAPERS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
PT6 = sorted(c for c in all_rules() if c.startswith("PT6"))

BIB = (
    "@article{doe2023, title={Sorting}, author={Doe, Jane}, journal={J}, year={2023}}\n"
    "@misc{anon2024, title={Faster}, author={Anonymous}, note={Under review}, year={2024}}\n"
)
PROSE = "This sentence is ordinary prose that fills the section with enough words for a paper. " * 3


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("PAPERTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def paper(
    tmp_path: Path,
    body: str,
    *,
    package: str = r"\usepackage[review]{acl}",
    cls: str = r"\documentclass{article}",
    author: str = r"\author{Jane Doe \\ MIT \\ \texttt{jdoe@mit.edu}}",
    preamble: str = "",
    files: dict[str, str] | None = None,
) -> Path:
    """A one-file paper; line 7 is \\maketitle and the body starts on line 8."""
    folder = tmp_path / "paper"
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join(
        [
            cls,  # 1
            package,  # 2
            preamble or "% no extra preamble",  # 3
            r"\title{Fast Sorting}",  # 4
            author,  # 5
            r"\begin{document}",  # 6
            r"\maketitle",  # 7
            body,  # 8...
            r"\bibliographystyle{plain}",
            r"\bibliography{refs}",
            r"\end{document}",
            "",
        ]
    )
    (folder / "main.tex").write_text(text, encoding="utf-8")
    (folder / "refs.bib").write_text(BIB, encoding="utf-8")
    for name, content in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def found(folder: Path, code: str | None = None, venue: str | None = None) -> list[str]:
    """`file:line CODE` of the PT6 findings (of one code, when given)."""
    result = run_check(folder, cfg=Config(compile=False, venue=venue), use_cache=False)
    return [
        f"{f.location.file}:{f.location.line} {f.code}" if f.location else f.code
        for f in result.findings
        if f.code.startswith("PT6") and (code is None or f.code == code)
    ]


def messages(folder: Path, code: str, venue: str | None = None) -> list[str]:
    result = run_check(folder, cfg=Config(compile=False, venue=venue), use_cache=False)
    return [f.message for f in result.findings if f.code == code]


# --- the rules are documented ---------------------------------------------------------------


def test_pt6_rules_are_documented():
    assert PT6 == ["PT601", "PT602", "PT603", "PT604", "PT605", "PT606", "PT607"]
    for code in PT6:
        r = all_rules()[code]
        assert r.family == "anonymity"
        assert r.name == r.name.lower() and " " not in r.name
        for part in ("What it does", "Why it matters", "Example", "Fix"):
            assert part in r.doc, f"{code} docs lack '{part}'"


# --- PT601 author-block-shown ---------------------------------------------------------------


def test_pt601_fires_when_a_plain_class_prints_the_names(tmp_path):
    folder = paper(tmp_path, PROSE, package="")
    assert found(folder, "PT601", venue="neurips:review") == ["main.tex:5 PT601"]
    (msg,) = messages(folder, "PT601", venue="neurips:review")
    assert "Jane Doe" in msg and "\\maketitle" in msg


def test_pt601_fires_for_neurips_preprint_which_prints_the_authors(tmp_path):
    folder = paper(tmp_path, PROSE, package=r"\usepackage[preprint]{neurips_2025}")
    assert found(folder, "PT601") == ["main.tex:5 PT601"]
    assert "[preprint]" in messages(folder, "PT601")[0]


def test_pt601_fires_for_every_author_command_in_one_finding(tmp_path):
    author = (
        r"\author{Jane Doe\inst{1} \and John Roe\inst{2}}"
        + "\n"
        + r"\institute{MIT \email{jdoe@mit.edu}}"
    )
    folder = paper(tmp_path, PROSE, package="", author=author)
    result = run_check(folder, cfg=Config(compile=False, venue="acl:review"), use_cache=False)
    (f,) = [f for f in result.findings if f.code == "PT601"]
    assert f.location.line == 5 and [r.line for r in f.related] == [6]


@pytest.mark.parametrize(
    "package",
    [
        r"\usepackage[review]{acl}",
        r"\usepackage{neurips_2025}",
        r"\usepackage{icml2025}",
        r"\usepackage{iclr2026_conference}",
        r"\usepackage[review]{cvpr}",
        r"\usepackage[submission]{aaai25}",
    ],
)
def test_pt601_silent_when_the_template_hides_the_author_block(tmp_path, package):
    folder = paper(tmp_path, PROSE, package=package)
    result = run_check(folder, cfg=Config(compile=False), use_cache=False)
    assert result.document.venue is not None and "review" in result.document.venue.mode
    assert found(folder, "PT601") == []


@pytest.mark.parametrize(
    "author",
    [
        r"\author{Anonymous Authors}",
        r"\author{Author Name \\ Affiliation \\ \texttt{email}}",
        r"\author{}",
    ],
)
def test_pt601_silent_on_placeholders(tmp_path, author):
    folder = paper(tmp_path, PROSE, package="", author=author)
    assert found(folder, "PT601", venue="neurips:review") == []


def test_pt601_silent_without_maketitle_or_with_names_commented_out(tmp_path):
    folder = paper(tmp_path, PROSE, package="")
    text = (folder / "main.tex").read_text().replace("\\maketitle", "")
    (folder / "main.tex").write_text(text)
    assert found(folder, "PT601", venue="neurips:review") == []
    folder2 = paper(
        tmp_path / "b", PROSE, package="", author="\\author{Anonymous}\n% \\author{Jane Doe}"
    )
    assert found(folder2, "PT601", venue="neurips:review") == []


def test_pt601_follows_newif_review_switches(tmp_path):
    preamble = r"\newif\ifreview \reviewtrue"
    author = r"\ifreview\author{Anonymous}\else\author{Jane Doe \\ MIT}\fi"
    folder = paper(tmp_path, PROSE, package="", preamble=preamble, author=author)
    assert found(folder, "PT601", venue="neurips:review") == []


# --- PT602 email-in-text --------------------------------------------------------------------


def test_pt602_fires_on_an_email_in_the_body(tmp_path):
    body = PROSE + "\n" + r"Questions about the data: \texttt{jdoe@cs.uni-x.edu}."
    folder = paper(tmp_path, body)
    assert found(folder, "PT602") == ["main.tex:9 PT602"]


def test_pt602_silent_on_author_block_placeholder_and_commented_addresses(tmp_path):
    body = (
        PROSE
        + "\n% mail jdoe@cs.uni-x.edu\n"
        + "Write to \\texttt{user@example.com} or anonymous@openreview.net; "
        + "clone \\texttt{git@github.com:org/repo.git}."
    )
    folder = paper(tmp_path, body)  # jdoe@mit.edu in \author is hidden by [review]
    assert found(folder, "PT602") == []


# --- PT603 acknowledgments-in-review --------------------------------------------------------


def test_pt603_fires_on_acknowledgments_in_acl_review(tmp_path):
    body = PROSE + "\n\\section*{Acknowledgments}\nWe thank the Doe lab for their support."
    folder = paper(tmp_path, body)
    assert found(folder, "PT603") == ["main.tex:9 PT603"]
    assert "ACL forbids it" in messages(folder, "PT603")[0]


def test_pt603_fires_on_a_neurips_section_but_not_on_its_hidden_ack_environment(tmp_path):
    body = PROSE + "\n\\section*{Acknowledgements}\nFunded by grant 42 to J. Doe."
    folder = paper(tmp_path, body, package=r"\usepackage{neurips_2025}")
    assert found(folder, "PT603") == ["main.tex:9 PT603"]
    hidden = PROSE + "\n\\begin{ack}\nFunded by grant 42 to J. Doe.\n\\end{ack}"
    folder2 = paper(tmp_path / "b", hidden, package=r"\usepackage{neurips_2025}")
    assert found(folder2, "PT603") == []


def test_pt603_fires_on_an_ack_environment_the_template_prints(tmp_path):
    body = PROSE + "\n\\begin{acknowledgments}\nWe thank Jane.\n\\end{acknowledgments}"
    folder = paper(tmp_path, body, package="")
    assert found(folder, "PT603", venue="icml:review") == ["main.tex:9 PT603"]


def test_pt603_silent_on_an_empty_heading_and_in_camera_ready(tmp_path):
    folder = paper(
        tmp_path, PROSE + "\n\\section*{Acknowledgments}\n", package=r"\usepackage{neurips_2025}"
    )
    assert found(folder, "PT603") == []
    body = PROSE + "\n\\section*{Acknowledgments}\nWe thank the Doe lab."
    folder2 = paper(tmp_path / "b", body, package=r"\usepackage{acl}")
    assert found(folder2) == []


# --- PT604 self-identifying-link ------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        r"Our code is at \url{https://github.com/jdoe/fastsort}.",
        r"We release the benchmark at \href{https://gitlab.com/jdoe/bench}{gitlab}.",
        r"Sorting is hard.\footnote{Code: \url{https://github.com/jdoe/fastsort}}",
        r"The code is available at \url{https://bitbucket.org/jdoe/fs}.",
        r"See our project page https://jdoe.github.io/fastsort for videos.",
        r"An errata for this paper is at \url{https://www.cs.uni-x.edu/~jdoe/errata.pdf}.",
        r"Our models are on \url{https://huggingface.co/jdoe/fastsort-7b}.",
    ],
)
def test_pt604_fires_on_own_links(tmp_path, sentence):
    folder = paper(tmp_path, PROSE + "\n" + sentence)
    assert found(folder, "PT604") == ["main.tex:9 PT604"]


@pytest.mark.parametrize(
    "sentence",
    [
        r"We use the implementation at \url{https://github.com/huggingface/transformers}.",
        r"CIFAR-10 \cite{doe2023} is at \url{https://www.cs.toronto.edu/~kriz/cifar.html}.",
        r"Our code is at \url{https://anonymous.4open.science/r/fastsort-1234}.",
        r"Our code is in the supplementary material; the paper is \url{https://openreview.net/forum?id=x}.",
        r"The dataset of \cite{doe2023} is available at \url{https://github.com/other/dataset}.",
        r"% Our code is at \url{https://github.com/jdoe/fastsort}.",
    ],
)
def test_pt604_silent_on_other_peoples_and_anonymized_links(tmp_path, sentence):
    folder = paper(tmp_path, PROSE + "\n" + sentence)
    assert found(folder, "PT604") == []


def test_link_kind():
    assert links.link_kind("https://github.com/jdoe/x") == "github.com repository of 'jdoe'"
    assert (
        links.link_kind("huggingface.co/datasets/jdoe/x") == "huggingface.co repository of 'jdoe'"
    )
    assert links.link_kind("https://anonymous.4open.science/r/x") is None
    assert links.link_kind("https://doi.org/10.1/x") is None
    assert links.link_kind("http://uni.edu/~jdoe/") == "personal page ~jdoe"


# --- PT605 self-citation-phrasing -----------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        r"In our previous work \cite{doe2023}, we proposed a faster sort.",
        r"As described in our earlier paper, sorting is hard.",
        r"We previously showed \cite{doe2023} that sorting is hard.",
        r"In~\cite{doe2023}, we proposed a faster sort.",
        r"This paper extends our ICML paper with proofs.",
        r"As we showed in \citet{doe2023}, sorting is hard.",
    ],
)
def test_pt605_fires_on_first_person_self_citation(tmp_path, sentence):
    folder = paper(tmp_path, PROSE + "\n" + sentence)
    assert found(folder, "PT605") == ["main.tex:9 PT605"]


@pytest.mark.parametrize(
    "sentence",
    [
        r"Doe et al.~\cite{doe2023} proposed a faster sort.",
        r"We previously showed in Section 2 that sorting is hard.",
        r"Our previous results in Table 1 already show this.",
        r"Unlike previous work \cite{doe2023}, our method is fast.",
        r"In our previous work \cite{anon2024}, we proposed a faster sort.",
    ],
)
def test_pt605_silent_on_third_person_and_internal_references(tmp_path, sentence):
    folder = paper(tmp_path, PROSE + "\n" + sentence)
    assert found(folder, "PT605") == []


# --- PT606 pdf-metadata-author --------------------------------------------------------------


@pytest.mark.parametrize(
    "preamble",
    [
        r"\hypersetup{pdfauthor={Jane Doe}, pdftitle={Fast}}",
        r"\pdfinfo{/Author (Jane Doe) /Title (Fast)}",
    ],
)
def test_pt606_fires_on_author_metadata_in_the_source(tmp_path, preamble):
    folder = paper(tmp_path, PROSE, preamble=preamble)
    assert found(folder, "PT606") == ["main.tex:3 PT606"]


def test_pt606_silent_on_empty_or_anonymous_metadata(tmp_path):
    folder = paper(tmp_path, PROSE, preamble=r"\hypersetup{pdfauthor={}, pdftitle={Fast}}")
    assert found(folder, "PT606") == []
    folder2 = paper(tmp_path / "b", PROSE, preamble=r"\hypersetup{pdfauthor={Anonymous}}")
    assert found(folder2, "PT606") == []


def _pdf(path: Path, **meta: str) -> Path:
    pypdf = pytest.importorskip("pypdf")
    w = pypdf.PdfWriter()
    w.add_blank_page(width=612, height=792)
    w.add_metadata({f"/{k}": v for k, v in meta.items()})
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def test_pdf_metadata_findings(tmp_path):
    named = _pdf(tmp_path / "named.pdf", Author="Jane Doe", Creator="LaTeX with hyperref")
    (hit,) = metadata.pdf_metadata_findings(named)
    assert "Jane Doe" in hit.message
    path_leak = _pdf(tmp_path / "path.pdf", Author="", Creator="dvips /home/jdoe/paper/main.dvi")
    (hit,) = metadata.pdf_metadata_findings(path_leak)
    assert "jdoe" in hit.message and "Creator" in hit.message
    clean = _pdf(
        tmp_path / "clean.pdf", Author="", Creator="LaTeX with hyperref", Producer="pdfTeX-1.40.24"
    )
    assert metadata.pdf_metadata_findings(clean) == []
    assert (
        metadata.pdf_metadata_findings(_pdf(tmp_path / "anon.pdf", Author="Anonymous Author(s)"))
        == []
    )
    (tmp_path / "broken.pdf").write_bytes(b"not a pdf")
    assert metadata.pdf_metadata_findings(tmp_path / "broken.pdf") == []


def test_pt606_reads_the_pdf_given_with_pdf(tmp_path):
    folder = paper(tmp_path, PROSE)
    pdf = _pdf(tmp_path / "out.pdf", Author="Jane Doe")
    result = run_check(folder, cfg=Config(compile=False), use_cache=False, pdf=pdf)
    assert [f.code for f in result.findings if f.code == "PT606"] == ["PT606"]


# --- PT607 mode-option-mismatch -------------------------------------------------------------


def test_pt607_review_asked_but_the_source_builds_the_final_version(tmp_path):
    folder = paper(tmp_path, PROSE, package=r"\usepackage{acl}")
    assert found(folder, "PT607", venue="acl:review") == ["main.tex:2 PT607"]
    assert "add the [review] option" in messages(folder, "PT607", venue="acl:review")[0]
    iclr = paper(
        tmp_path / "b",
        PROSE,
        package=r"\usepackage{iclr2026_conference}",
        preamble=r"\iclrfinalcopy",
    )
    assert "remove \\iclrfinalcopy" in messages(iclr, "PT607", venue="iclr:review")[0]


def test_pt607_camera_ready_asked_but_the_final_option_is_missing(tmp_path):
    folder = paper(tmp_path, PROSE, package=r"\usepackage{neurips_2025}")
    (msg,) = messages(folder, "PT607", venue="neurips:camera-ready")
    assert "final option is missing" in msg and "[final]" in msg
    assert found(folder, venue="neurips:camera-ready") == [
        "main.tex:2 PT607"
    ]  # PT601-606: review only


def test_pt607_silent_when_source_and_request_agree_or_no_stage_is_given(tmp_path):
    folder = paper(tmp_path, PROSE)  # [review]
    assert found(folder, "PT607", venue="acl:review") == []
    assert found(folder, "PT607", venue="acl") == []
    final = paper(tmp_path / "b", PROSE, package=r"\usepackage[final]{neurips_2025}")
    assert found(final, "PT607", venue="neurips:camera-ready") == []


# --- nothing outside review mode ------------------------------------------------------------

LEAKY = "\n".join(
    [
        PROSE,
        r"In our previous work \cite{doe2023}, we proposed a faster sort.",
        r"Our code is at \url{https://github.com/jdoe/fastsort}; mail jdoe@mit.edu.",
        r"\section*{Acknowledgments}",
        "We thank the Doe lab.",
    ]
)


def test_review_fixture_with_every_leak(tmp_path):
    folder = paper(tmp_path, LEAKY, package="", preamble=r"\hypersetup{pdfauthor={Jane Doe}}")
    codes = sorted({x.split()[1] for x in found(folder, venue="acl:review")})
    assert codes == ["PT601", "PT602", "PT603", "PT604", "PT605", "PT606"]


@pytest.mark.parametrize(
    ("package", "venue"),
    [
        (r"\usepackage[final]{acl}", None),
        (r"\usepackage[final]{neurips_2025}", None),
        (r"\usepackage[accepted]{icml2025}", None),
        ("", None),  # no venue at all
        ("", "ieee"),  # a venue that is not double-blind
        ("", "neurips:camera-ready"),
    ],
)
def test_silent_outside_double_blind_review(tmp_path, package, venue):
    folder = paper(tmp_path, LEAKY, package=package, preamble=r"\hypersetup{pdfauthor={Jane Doe}}")
    assert found(folder, venue=venue) == []


def test_a_user_profile_teaches_a_new_template(tmp_path):
    # the template switches live in the venue profiles: a lab's own template, described in
    # .papertrack/venues/, is read the same way as the shipped ones
    profile = "\n".join(
        [
            "name = 'Lab Workshop'",
            "year = 2025",
            "source = 'the lab wiki'",
            "double_blind = true",
            "[detect]",
            "packages = ['^labws$']",
            "[anonymity]",
            "default = 'anonymous'",
            "named_options = ['final']",
            "",
        ]
    )
    files = {".papertrack/venues/labws.toml": profile}
    named = paper(tmp_path / "named", PROSE, package=r"\usepackage[final]{labws}", files=files)
    (msg,) = messages(named, "PT601", venue="lab-workshop:review")
    assert "labws prints the author block with [final]" in msg
    hidden = paper(tmp_path / "hidden", PROSE, package=r"\usepackage{labws}", files=files)
    assert found(hidden, "PT601", venue="lab-workshop:review") == []
    (msg,) = messages(hidden, "PT607", venue="lab-workshop:camera-ready")
    assert "add the [final] option" in msg


# --- the corpus -----------------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("name", PAPERS)
def test_silent_on_every_corpus_paper(name):
    result = run_check(CORPUS / name, cfg=Config(compile=False))
    v = result.document.venue
    assert [f for f in result.findings if f.code.startswith("PT6")] == []
    if v is not None and v.profile.double_blind and "review" in v.mode:
        # in review mode (AAAI with [submission]) the template must be what keeps it silent
        state = review.template_state(result.document)
        assert state is not None and state.anonymous, (name, v.summary)


def test_corpus_venues_are_as_expected():
    if not PAPERS:
        pytest.skip("../shared/corpus not present")
    seen = {}
    for name in PAPERS:
        v = run_check(CORPUS / name, cfg=Config(compile=False)).document.venue
        seen[name] = None if v is None else (v.profile.name, v.mode, v.profile.double_blind)
    assert seen["neurips24-catastrophic-goodhart"] == ("NeurIPS 2024", "camera-ready", True)
    assert seen["acl-aacl23-sealp-tlunified"] == ("ACL", "long-camera-ready", True)
    assert seen["aaai25-centroid-distance"] == ("AAAI 2025", "review", True)
    assert seen["journal-sherlock-draft2018"] is None


def test_pt601_names_the_authors_without_a_commented_out_line(tmp_path):
    # a commented-out author line inside the block is no part of what TeX prints
    author = "\\author{\n% Old Coauthor, Somewhere\nJane Doe \\\\ MIT}"
    folder = paper(tmp_path, PROSE, package="", author=author)
    (msg,) = messages(folder, "PT601", venue="neurips:review")
    assert "'Jane Doe MIT'" in msg and "%" not in msg and "Old Coauthor" not in msg
