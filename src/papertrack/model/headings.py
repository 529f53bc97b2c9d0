"""What a section heading is, by its words and meaning, in the languages papers are written in.

A title matches a phrase when the phrase's words appear in it in order, each as the start of
a title word ("conclu" matches "Conclusions", "related work" matches "Related Works"), never
inside a word ("notation" is not "Annotation", "references" is not "Preferences"). Chinese,
Japanese and Korean titles, written without spaces, match by characters.
"""

from __future__ import annotations

import re
import unicodedata

# Phrases per kind of section, lower case and without accents (titles are folded the same way).
KINDS: dict[str, tuple[str, ...]] = {
    "abstract": (
        "abstract",
        "zusammenfassung",
        "kurzfassung",
        "kurzbeschreibung",
        "resume",
        "resumo",
        "sommario",
        "riassunto",
        "samenvatting",
        "sammanfattning",
        "аннотация",
        "摘要",
        "要旨",
        "概要",
        "초록",
        "요약",
    ),
    "introduction": (
        "introduction",
        "intro",
        "motivation",
        "overview",
        "prologue",
        "einleitung",
        "einfuhrung",
        "introduccion",
        "introducao",
        "introduzione",
        "inleiding",
        "введение",
        "引言",
        "绪论",
        "緒論",
        "序論",
        "前言",
        "はじめに",
        "序章",
        "서론",
    ),
    "related work": (
        "related work",
        "related research",
        "related literature",
        "prior work",
        "previous work",
        "literature",
        "state of the art",
        "background",
        "preliminar",
        "verwandte arbeit",
        "stand der forschung",
        "stand der technik",
        "grundlagen",
        "hintergrund",
        "travaux connexes",
        "travaux anterieurs",
        "etat de l art",
        "trabajo relacionado",
        "trabajos relacionados",
        "estado del arte",
        "antecedentes",
        "trabalhos relacionados",
        "estado da arte",
        "fundamentacao",
        "lavori correlati",
        "stato dell arte",
        "相关工作",
        "相关研究",
        "研究现状",
        "文献综述",
        "背景",
        "関連研究",
        "관련 연구",
    ),
    "conclusion": (
        "conclu",
        "summary",
        "closing remarks",
        "final remarks",
        "outlook",
        "epilogue",
        "fazit",
        "zusammenfassung",
        "schlussfolgerung",
        "schlussbemerkung",
        "ausblick",
        "consideracoes finais",
        "remarques finales",
        "заключение",
        "结论",
        "總結",
        "总结",
        "结语",
        "結論",
        "まとめ",
        "결론",
    ),
}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


def fold(title: str) -> str:
    """Lower case, accents removed: 'Introducción' -> 'introduccion', 'Einführung' -> 'einfuhrung'."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(title: str) -> list[str]:
    return _WORDS.findall(fold(title))


def matches(title: str, phrase: str) -> bool:
    """Whether the phrase's words start title words, in order and next to each other."""
    phrase = fold(phrase.strip())
    if not phrase:
        return False
    if _CJK.search(phrase):
        return phrase.replace(" ", "") in fold(title).replace(" ", "")
    want = _WORDS.findall(phrase)
    have = words(title)
    n = len(want)
    return any(
        all(have[i + k].startswith(want[k]) for k in range(n)) for i in range(len(have) - n + 1)
    )


def alternatives(pattern: str) -> list[str]:
    """'related work|background' -> its phrases; a known kind brings all its languages."""
    out: list[str] = []
    for alt in pattern.split("|"):
        alt = alt.strip()
        if not alt:
            continue
        out.append(alt)
        if fold(alt) != "abstract":  # other languages' abstracts: only unnumbered, up front
            out.extend(KINDS.get(fold(alt), ()))
    return out


def is_kind(title: str, kind: str) -> bool:
    return any(matches(title, p) for p in KINDS[kind])


def is_abstract_heading(heading, numbered_before: bool) -> bool:
    """\\section*{Abstract}, \\chapter*{Abstract}, \\prefacesection{Abstract}: the abstract,
    when it comes before the numbered text (a final numbered 'Zusammenfassung' is a summary)."""
    unnumbered = heading.starred or heading.command in ("prefacesection", "addchap", "addsec")
    return unnumbered and not numbered_before and is_kind(heading.title, "abstract")
