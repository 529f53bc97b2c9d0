"""Venue profiles: loading, validation, detection, modes and heading matching."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from papertrack.venues import (
    STAGES,
    Detection,
    VenueArg,
    VenueError,
    VenueProfile,
    detect_venue,
    exempt_headings,
    find_profile,
    is_exempt_heading,
    load_profiles,
    normalize_heading,
    page_limit,
    parse_venue_arg,
    requirements,
    resolve_mode,
    shipped_venues_dir,
)

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="module")
def profiles() -> dict[str, VenueProfile]:
    return load_profiles()


def profile(profiles: dict[str, VenueProfile], name: str) -> VenueProfile:
    found = find_profile(name, profiles)
    assert found is not None, name
    return found


# --- shipped profiles ------------------------------------------------------------------------


def test_every_shipped_file_loads_as_a_profile(profiles: dict[str, VenueProfile]) -> None:
    files = sorted(shipped_venues_dir().glob("*.toml"))
    assert len(files) == len(profiles) >= 12
    assert {p.path for p in profiles.values()} == set(files)


def test_shipped_profiles_are_complete(profiles: dict[str, VenueProfile]) -> None:
    for p in profiles.values():
        assert p.source and p.year in p.years, p.name
        # a venue its template cannot tell apart (SOSP, EuroSys on acmart) says how to name it
        assert p.detect.packages or p.detect.classes or "--venue" in p.notes, p.name
        assert set(p.stages) <= set(STAGES)
        assert set(p.pages) <= set(p.modes), p.name
        assert set(p.counting) == set(p.requirements) == set(p.modes)
        # A limit that is not known must say so.
        for mode in p.modes:
            if mode not in p.pages:
                assert p.is_unconfirmed(f"pages.{mode}"), (p.name, mode)
        rows = dict(p.describe())
        assert rows["name"] == p.name and "detect" in rows and "unconfirmed" in rows


def test_names_and_aliases_are_unique(profiles: dict[str, VenueProfile]) -> None:
    seen: dict[str, str] = {}
    for p in profiles.values():
        for word in (p.name, *p.aliases):
            key = re.sub(r"\W+", "", word.lower())
            assert key not in seen, f"{word!r} of {p.name} is also {seen.get(key)}"
            seen[key] = p.name


@pytest.mark.parametrize(
    ("name", "mode", "limit"),
    [
        ("neurips2024", "review", 9),
        ("NeurIPS 2024", "camera-ready", 10),
        ("neurips", "final", 10),
        ("icml", "review", 8),
        ("icml", "accepted", 9),
        ("iclr", "camera-ready", 10),
        ("iclr2023", "review", 9),
        ("acl", "long-review", 8),
        ("emnlp", "long-camera-ready", 9),
        ("NAACL", "short-review", 4),
        ("arr", "short-camera-ready", 5),
        ("acl", "review", 8),
        ("cvpr", "review", 8),
        ("cvpr", "camera-ready", 8),
        ("aaai", "camera-ready", None),
        ("iccv", "review", 8),
        ("aaai", "review", 7),
        ("ieee", "review", None),
        ("acm", "camera-ready", None),
        ("lncs", "review", None),
    ],
)
def test_page_limits(
    profiles: dict[str, VenueProfile], name: str, mode: str, limit: float | None
) -> None:
    assert page_limit(profile(profiles, name), mode) == limit


def test_neurips_2024_camera_ready_counts_acknowledgments_and_impact_statement(
    profiles: dict[str, VenueProfile],
) -> None:
    # Ground truth (shared/corpus/EXPECTED.toml): both precede the references and are counted.
    neurips = profile(profiles, "NeurIPS 2024")
    assert exempt_headings(neurips, "camera-ready") == ["NeurIPS Paper Checklist"]
    for heading in ("Acknowledgments and Disclosure of Funding", "Impact Statement"):
        assert not is_exempt_heading(heading, neurips, "camera-ready")
    assert not neurips.counting["camera-ready"].references
    assert not neurips.counting["camera-ready"].appendix
    assert requirements(neurips).forbidden_macros == ("answerTODO", "justificationTODO")


def test_venue_rules_from_the_notes(profiles: dict[str, VenueProfile]) -> None:
    acl = profile(profiles, "acl")
    assert requirements(acl, "short-review").headings == ("Limitations",)
    assert requirements(profile(profiles, "ICML 2021"), "review").headings == ()
    assert requirements(acl, "review").forbidden_headings == ("Acknowledgments",)
    assert requirements(acl, "camera-ready").forbidden_headings == ()
    assert acl.abstract_words == 200
    icml = profile(profiles, "icml")
    assert requirements(icml).headings == ("Impact Statement",)
    assert is_exempt_heading("Impact Statement", icml)
    iclr = profile(profiles, "ICLR 2023")
    assert is_exempt_heading("Reproducibility Statement", iclr)
    assert not is_exempt_heading("7 Acknowledgements", iclr)
    cvpr = profile(profiles, "cvpr")
    assert cvpr.counting["review"].exempt_after_macros == ("maketitlesupplementary",)
    assert cvpr.counting["rebuttal"].references


# --- modes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("acl", VenueArg("acl")),
        ("acl:short-review", VenueArg("acl", "short", "review")),
        ("acl:short", VenueArg("acl", "short", None)),
        ("acl:long-camera-ready", VenueArg("acl", "long", "camera-ready")),
        ("ACL:Short_Final", VenueArg("ACL", "short", "camera-ready")),
        ("neurips:final", VenueArg("neurips", None, "camera-ready")),
        ("icml:submission", VenueArg("icml", None, "review")),
        ("cvpr:rebuttal", VenueArg("cvpr", None, "rebuttal")),
    ],
)
def test_parse_venue_arg(text: str, expected: VenueArg) -> None:
    assert parse_venue_arg(text) == expected


@pytest.mark.parametrize("text", ["", ":review", "acl:short review!", "acl:-"])
def test_parse_venue_arg_rejects(text: str) -> None:
    with pytest.raises(VenueError):
        parse_venue_arg(text)


def test_resolve_mode_fills_in_from_detection_then_default(
    profiles: dict[str, VenueProfile],
) -> None:
    acl = profile(profiles, "acl")
    assert resolve_mode(acl) == "long-camera-ready"
    assert resolve_mode(acl, parse_venue_arg("acl:short")) == "short-camera-ready"
    assert resolve_mode(acl, parse_venue_arg("acl:short"), detected="long-review") == (
        "short-review"
    )
    assert resolve_mode(acl, "review", detected="short-camera-ready") == "short-review"
    neurips = profile(profiles, "neurips")
    assert resolve_mode(neurips) == "review"
    with pytest.raises(VenueError, match="no mode 'short'"):
        resolve_mode(neurips, "short-review")
    with pytest.raises(VenueError, match="no rebuttal mode"):
        resolve_mode(neurips, "rebuttal")


# --- heading matching ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "exempt"),
    [
        ("Limitations", True),
        ("limitations", True),
        ("Limitations.", True),
        ("7 Limitations", True),
        ("\\textbf{Limitations}\\label{sec:lim}", True),
        ("Limitations of prior work", False),
        ("Limitation", False),
        ("Ethical Considerations", True),
        ("Ethics Statement", True),
        ("Acknowledgements", True),
        ("Acknowledgment", True),
        ("Conclusion", False),
        ("Related Work and Limitations", False),
    ],
)
def test_whole_heading_matching(
    profiles: dict[str, VenueProfile], title: str, exempt: bool
) -> None:
    assert is_exempt_heading(title, profile(profiles, "acl")) is exempt


def test_normalize_heading() -> None:
    assert normalize_heading("A.1 Ethics  Statement:") == "ethics statement"
    assert normalize_heading("VI. ACKNOWLEDGEMENTS") == "acknowledgments"
    assert normalize_heading("Broader Impact?") == "broader impact"


# --- detection -------------------------------------------------------------------------------

PREAMBLES = {
    "neurips-final": (
        r"""\documentclass{article}
\usepackage[final]{neurips_2024}
\usepackage[utf8]{inputenc}""",
        "NeurIPS 2024",
        "camera-ready",
    ),
    "neurips-submission": (
        r"""\documentclass{article}
% \usepackage[final]{neurips_2025}
\usepackage{neurips_2025}""",
        "NeurIPS 2025",
        "review",
    ),
    "neurips-preprint-older-year": (
        r"""\documentclass{article}
\usepackage[preprint,nonatbib]{neurips_2023}""",
        "NeurIPS 2024",
        "review",
    ),
    "neurips-2026": (
        r"""\documentclass{article}
\usepackage[main, final]{neurips_2026}""",
        "NeurIPS 2025",
        "camera-ready",
    ),
    "icml-accepted": (
        r"""\documentclass{article}
\usepackage{microtype}
\usepackage[accepted]{icml2025}""",
        "ICML 2025",
        "camera-ready",
    ),
    "icml-submission": (
        r"""\documentclass{article}
\usepackage{icml2025}""",
        "ICML 2025",
        "review",
    ),
    "iclr-final": (
        r"""\documentclass{article}
\usepackage{iclr2026_conference,times}
\iclrfinalcopy""",
        "ICLR 2026",
        "camera-ready",
    ),
    "iclr-submission": (
        r"""\documentclass{article}
\usepackage{iclr2023_conference,times}
%\iclrfinalcopy % Uncomment for camera-ready version""",
        "ICLR 2023",
        "review",
    ),
    "acl-review": (
        r"""\documentclass[11pt]{article}
\usepackage[review]{acl}
\usepackage{times}""",
        "ACL",
        "long-review",
    ),
    "acl-final-default": (
        r"""\documentclass[11pt]{article}
\usepackage{ACL2023}""",
        "ACL",
        "long-camera-ready",
    ),
    # ICML asks for an Impact Statement from 2024: a paper on an earlier style is not held to it
    "icml-old-accepted": (
        r"""\documentclass{article}
\usepackage[accepted]{icml2021}""",
        "ICML 2022",
        "camera-ready",
    ),
    "icml-2024-review": (
        r"""\documentclass{article}
\usepackage{icml2024}""",
        "ICML 2025",
        "review",
    ),
    # the style files before 2023 print the review version unless \aclfinalcopy, and
    # require no Limitations section
    "emnlp-old": (
        r"""\documentclass[11pt,a4paper]{article}
\usepackage[hyperref]{emnlp2020}""",
        "ACL 2018",
        "long-review",
    ),
    "naacl-old-final": (
        r"""\documentclass[11pt,letterpaper]{article}
\usepackage[hyperref]{naaclhlt2018}
\aclfinalcopy""",
        "ACL 2018",
        "long-camera-ready",
    ),
    "cvpr-review": (
        r"""\documentclass[10pt,twocolumn,letterpaper]{article}
\usepackage[review]{cvpr}""",
        "CVPR 2025",
        "review",
    ),
    "cvpr-rebuttal": (
        r"""\documentclass[10pt,twocolumn,letterpaper]{article}
\usepackage[rebuttal]{cvpr}""",
        "CVPR 2025",
        "rebuttal",
    ),
    "iccv-final": (
        r"""\documentclass[10pt,twocolumn,letterpaper]{article}
\usepackage[pagenumbers]{iccv}""",
        "ICCV 2025",
        "camera-ready",
    ),
    "aaai-submission": (
        r"""\documentclass[letterpaper]{article}
\usepackage[submission]{aaai25}
\usepackage{times}""",
        "AAAI 2025",
        "review",
    ),
    "aaai-camera": (
        r"""\documentclass[letterpaper]{article}
\usepackage{aaai25}""",
        "AAAI 2025",
        "camera-ready",
    ),
    "ieee": (
        r"""\documentclass[conference]{IEEEtran}
\usepackage{cite}""",
        "IEEE conference",
        "review",
    ),
    "acm-anonymous": (
        r"""\documentclass[sigconf,review,anonymous]{acmart}""",
        "ACM sigconf",
        "review",
    ),
    "lncs": (
        r"""\documentclass[runningheads]{llncs}
\usepackage{graphicx}""",
        "Springer LNCS",
        "review",
    ),
}

_CLASS = re.compile(r"\\documentclass\s*(?:\[([^\]]*)\])?\s*\{([^}]*)\}")
_PACKAGE = re.compile(r"\\(?:usepackage|RequirePackage)\s*(?:\[([^\]]*)\])?\s*\{([^}]*)\}")


def preamble_facts(
    text: str,
) -> tuple[str | None, list[str], list[tuple[str, list[str]]]]:
    """A test-only reader of \\documentclass and \\usepackage lines (not papertrack's parser)."""
    text = re.sub(r"(?<!\\)%.*", "", text)
    match = _CLASS.search(text)
    documentclass = match.group(2).strip() if match else None
    class_options = (match.group(1) or "").split(",") if match else []
    packages = [
        (name.strip(), (opts or "").split(","))
        for opts, names in _PACKAGE.findall(text)
        for name in names.split(",")
    ]
    return documentclass, class_options, packages


def detect_text(text: str, profiles: dict[str, VenueProfile]) -> Detection | None:
    documentclass, class_options, packages = preamble_facts(text)
    return detect_venue(documentclass, class_options, packages, text, profiles)


@pytest.mark.parametrize("case", sorted(PREAMBLES))
def test_detects_venue_and_mode(profiles: dict[str, VenueProfile], case: str) -> None:
    text, name, mode = PREAMBLES[case]
    found = detect_text(text, profiles)
    assert found is not None
    assert (found.profile.name, found.mode) == (name, mode)


def test_detection_evidence(profiles: dict[str, VenueProfile]) -> None:
    found = detect_venue("article", [], [("neurips_2024", ["final"])], "", profiles)
    assert found is not None
    assert found.evidence == "loads neurips_2024 with [final]"
    assert found.notes == ()
    found = detect_text(PREAMBLES["iclr-final"][0], profiles)
    assert found is not None and "\\iclrfinalcopy is set" in found.evidence
    found = detect_text(PREAMBLES["neurips-preprint-older-year"][0], profiles)
    assert found is not None and any("no profile for 2023" in n for n in found.notes)
    found = detect_text(PREAMBLES["acl-final-default"][0], profiles)
    assert found is not None and any("long paper is assumed" in n for n in found.notes)
    assert any("defaults to camera-ready" in n for n in found.notes)
    found = detect_text(PREAMBLES["ieee"][0], profiles)
    assert found is not None and found.evidence == "uses class IEEEtran with [conference]"


@pytest.mark.parametrize(
    "text",
    [
        r"\documentclass[journal]{IEEEtran}",
        r"\documentclass[acmsmall]{acmart}",
        r"\documentclass{article}\usepackage{geometry}",
        r"\documentclass{article}% \usepackage[final]{neurips_2024}",
        r"\documentclass{article}\usepackage{aclcheck}",
    ],
)
def test_no_venue(profiles: dict[str, VenueProfile], text: str) -> None:
    assert detect_text(text, profiles) is None


# Venue, detected mode and the limit the venue_rule lines of EXPECTED.toml apply in that mode.
CORPUS_VENUES = {
    "neurips24-catastrophic-goodhart": ("NeurIPS 2024", "camera-ready", 10),
    "iclr-rnn-extrapolation": ("ICLR 2023", "camera-ready", 10),
    "acl-aacl23-sealp-tlunified": ("ACL", "long-camera-ready", 9),
    "cvpr-proteus": ("CVPR 2025", "camera-ready", 8),
    "aaai25-centroid-distance": ("AAAI 2025", "review", 7),
    "ieee-firefly-draft": ("IEEE conference", "review", None),
    "lncs-asvc": ("Springer LNCS", "review", None),
    "thesis-manchester-ferigo": None,
    "journal-sherlock-draft2018": None,
}


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_corpus_papers(profiles: dict[str, VenueProfile]) -> None:
    expected = tomllib.loads((CORPUS / "EXPECTED.toml").read_text(encoding="utf-8"))["papers"]
    assert set(expected) == set(CORPUS_VENUES)
    for folder, paper in expected.items():
        text = (CORPUS / folder / paper["main"]).read_text(encoding="utf-8", errors="replace")
        found = detect_text(text, profiles)
        got = None
        if found is not None:
            got = (found.profile.name, found.mode, page_limit(found.profile, found.mode))
        assert got == CORPUS_VENUES[folder], folder


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_corpus_venue_rules_agree_with_profiles(profiles: dict[str, VenueProfile]) -> None:
    expected = tomllib.loads((CORPUS / "EXPECTED.toml").read_text(encoding="utf-8"))["papers"]
    rules = {folder: paper["venue_rule"] for folder, paper in expected.items()}
    assert "camera-ready limit 10" in rules["neurips24-catastrophic-goodhart"]
    assert "camera-ready limit 10" in rules["iclr-rnn-extrapolation"]
    assert "(limit 8)" in rules["cvpr-proteus"]
    assert "long 8, short 4; camera +1" in rules["acl-aacl23-sealp-tlunified"]
    assert "7 pages" in rules["aaai25-centroid-distance"]
    # What the ground truth counts and leaves out, heading by heading.
    assert (
        "Acknowledgments and Impact Statement precede" in rules["neurips24-catastrophic-goodhart"]
    )
    neurips = profile(profiles, "NeurIPS 2024")
    assert not is_exempt_heading("Impact Statement", neurips, "camera-ready")
    assert is_exempt_heading("NeurIPS Paper Checklist", neurips, "camera-ready")
    assert "Acknowledgements section is counted" in rules["iclr-rnn-extrapolation"]
    assert not is_exempt_heading("Acknowledgements", profile(profiles, "ICLR 2023"))
    assert "Limitations/Ethics/Acknowledgments" in rules["acl-aacl23-sealp-tlunified"]
    acl = profile(profiles, "acl")
    assert all(is_exempt_heading(h, acl) for h in ("Limitations", "Acknowledgements"))
    assert "(Acknowledgements counted)" in rules["lncs-asvc"]
    assert not is_exempt_heading("Acknowledgements", profile(profiles, "lncs"))


# --- user profiles ---------------------------------------------------------------------------


def write(paper: Path, name: str, text: str) -> Path:
    folder = paper / ".papertrack" / "venues"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_profile_replaces_shipped_one_by_name(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.toml",
        """
name = "neurips-2025"
year = 2025
source = "our reading of the 2025 FAQ"
aliases = ["NeurIPS"]
[pages]
review = 8
[detect]
packages = ['^neurips_2025$']
""",
    )
    loaded = load_profiles(tmp_path)
    assert len(loaded) == len(load_profiles())
    mine = profile(loaded, "NeurIPS 2025")
    assert mine.path == path and mine.origin == "user"
    assert page_limit(mine, "review") == 8
    assert profile(loaded, "neurips") is mine
    found = detect_venue("article", [], [("neurips_2025", [])], "", loaded)
    assert found is not None and found.profile is mine


def test_user_profile_extends_a_shipped_one(tmp_path: Path) -> None:
    write(
        tmp_path,
        "workshop.toml",
        """
name = "NeurIPS 2025 workshop"
extends = "NeurIPS 2025"
source = "workshop call for papers"
[pages]
review = 4
""",
    )
    loaded = load_profiles(tmp_path)
    workshop = profile(loaded, "NeurIPS 2025 workshop")
    assert page_limit(workshop, "review") == 4
    assert page_limit(workshop, "camera-ready") == 10
    assert workshop.aliases == ()
    assert profile(loaded, "neurips").name == "NeurIPS 2025"
    assert exempt_headings(workshop)[0] == "NeurIPS Paper Checklist"
    # It matches the same style file; the paper's own profile wins.
    found = detect_venue("article", [], [("neurips_2025", ["final"])], "", loaded)
    assert found is not None and found.profile is workshop


def test_extends_drops_what_the_user_confirms(tmp_path: Path) -> None:
    write(tmp_path, "cvpr.toml", 'extends = "cvpr"\n[pages]\ncamera-ready = 8\n')
    cvpr = profile(load_profiles(tmp_path), "cvpr")
    assert cvpr.origin == "user"
    assert page_limit(cvpr, "camera-ready") == 8
    assert not cvpr.is_unconfirmed("pages.camera-ready")
    assert cvpr.is_unconfirmed("pages.rebuttal")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name = 'X'\nyear = 2025\nsource = 's'\n[pages\n", "not valid TOML"),
        ("year = 2025\nsource = 's'\n", "name: missing"),
        ("name = 'X'\nyear = 'soon'\nsource = 's'\n", "year: expected a whole number"),
        ("name = 'X'\nyear = 2025\nsource = 's'\npage = 3\n", "unknown key(s) page"),
        ("name = 'X'\nyear = 2025\nsource = 's'\n[pages]\nfinal = 9\n", "pages.final"),
        ("name = 'X'\nyear = 2025\nsource = 's'\n[pages]\nreview = -1\n", "positive number"),
        ("name = 'X'\nyear = 2025\nsource = 's'\n[detect]\npackages = ['(']\n", "regular exp"),
        (
            "name = 'X'\nyear = 2025\nsource = 's'\n[detect.options]\nfinal = 'done'\n",
            "detect.options.final",
        ),
        (
            "name = 'X'\nyear = 2025\nsource = 's'\n[counting]\nexempt_headings = 'Limitations'\n",
            "exempt_headings: expected a list",
        ),
        ("name = 'X'\nyear = 2025\nsource = 's'\n[counting.final]\nappendix = true\n", "final"),
        ("name = 'X'\nyear = 2025\nsource = 's'\nunconfirmed = ['page']\n", "unconfirmed"),
        ("name = 'X'\nyear = 2025\nsource = 's'\nvariants = ['Long']\n", "variants"),
        ("extends = 'nosuchvenue'\n", "no profile named 'nosuchvenue'"),
        ("name = 'X'\nyear = 2025\nsource = 's'\nyears = 2024\n", "years: expected a list"),
        (
            "name = 'X'\nyear = 2025\nsource = 's'\n[anonymity]\ndefault = 'hidden'\n",
            "anonymity.default",
        ),
        (
            "name = 'X'\nyear = 2025\nsource = 's'\n[anonymity]\nswitch = 'final'\n",
            "unknown key(s) switch",
        ),
        (
            "name = 'X'\nyear = 2025\nsource = 's'\n[anonymity]\nlegacy_macro = 'a b'\n",
            "anonymity.legacy_macro",
        ),
    ],
)
def test_malformed_user_profile_names_file_and_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    write(tmp_path, "broken-venue.toml", text)
    with pytest.raises(VenueError) as caught:
        load_profiles(tmp_path)
    assert "broken-venue.toml" in str(caught.value)
    assert problem in str(caught.value)
    assert caught.value.exit_code == 2


def test_two_user_profiles_with_one_name(tmp_path: Path) -> None:
    body = "name = 'Lab venue'\nyear = 2025\nsource = 's'\n"
    write(tmp_path, "a.toml", body)
    write(tmp_path, "b.toml", body)
    with pytest.raises(VenueError, match=r"b\.toml"):
        load_profiles(tmp_path)


def test_profile_without_detection_is_only_named(tmp_path: Path) -> None:
    write(tmp_path, "lab.toml", "name = 'Lab venue'\nyear = 2025\nsource = 's'\n")
    loaded = load_profiles(tmp_path)
    lab = profile(loaded, "lab-venue")
    assert page_limit(lab) is None
    assert dict(lab.describe())["detect"].startswith("never")


def test_no_user_folder_is_fine(tmp_path: Path) -> None:
    assert load_profiles(tmp_path).keys() == load_profiles().keys()
