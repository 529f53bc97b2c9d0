"""PT803: figure captions that do not stand on their own."""

from __future__ import annotations

import re
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.rules.base import Hit, loc, rule

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ELSEWHERE = re.compile(
    r"\bsee (?:the )?(?:main )?text\b|\b(?:described|explained|discussed) in the (?:main )?text\b",
    re.IGNORECASE,
)


@rule("PT803", "caption-not-standalone", "info", "A figure caption does not stand on its own")
def caption_not_standalone(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports figure captions of one or two words ("Results.", "Architecture") and
    captions that send the reader to the text ("see text for details").

    Why it matters: busy readers read the abstract and then only the figures; a caption that
    names the plot but not what it shows makes them hunt through the text.

    Example: `\\caption{Results.}` under a plot of accuracy against training time.

    Fix: say what the figure shows and what to notice: "Accuracy against training time: the
    pruned model reaches 90% in half the time."
    """
    for fl in doc.floats:
        if fl.kind != "figure" or fl.placeholder or len(fl.captions) != 1:
            continue
        text = " ".join(fl.captions[0].split())
        words = [w for w in re.split(r"\s+", text) if any(ch.isalnum() for ch in w)]
        # Chinese and Japanese write no spaces: each character counts as a word (as texcount)
        n = (
            len(words)
            + sum(1 for ch in text if _CJK.match(ch))
            - sum(1 for w in words if any(_CJK.match(ch) for ch in w))
        )
        if 1 <= n <= 2 and not fl.sub_labels:
            yield Hit(f"caption '{text}' names the figure but does not say what it shows", loc(fl))
        elif _ELSEWHERE.search(text):
            yield Hit(f"caption sends the reader to the text: '{text[:60]}'", loc(fl))
