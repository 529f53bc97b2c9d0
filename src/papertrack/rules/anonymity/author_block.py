"""PT601, PT602: names and e-mail addresses the review version prints."""

from __future__ import annotations

import re
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.model.authorship import Span
from papertrack.model.document import Document
from papertrack.rules.anonymity.review import in_review, loc, scan
from papertrack.rules.anonymity.text import emails, is_placeholder, plain_text, short
from papertrack.rules.base import Hit, rule


@rule(
    "PT601",
    "author-block-shown",
    "error",
    "The review version prints author names, e-mails or affiliations",
)
def author_block_shown(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports names, e-mail addresses
    and affiliations in the author block (\\author, \\affiliation, \\email, \\institute, \\affil,
    \\IEEEauthorblockN/A, \\icmlauthor, AAAI's \\affiliations, acmart's \\author/\\affiliation/
    \\email) when this build actually prints them. Venue templates hide the author block
    themselves in their review build, and then nothing is reported: NeurIPS without [final] or
    [preprint], ICML without [accepted], ICLR without \\iclrfinalcopy, ACL with [review], CVPR
    and ICCV with [review] (or without \\cvprfinalcopy in older kits), AAAI with [submission],
    acmart with [anonymous]. With any other class the block is printed by \\maketitle, so it
    must read "Anonymous" (or be left empty). Blocks that only hold placeholders ("Anonymous
    Author(s)", "Author Name, Affiliation, email") are fine.

    Why it matters: a named submission to a double-blind venue is desk-rejected, often
    without review.

    Example: `\\usepackage[preprint]{neurips_2025}` (the arXiv layout, which prints the
    authors) with `\\author{Jane Doe \\\\ MIT}` in a NeurIPS submission.

    Fix: build the anonymous version of the template (remove [final]/[preprint], add [review]
    or [submission], drop \\iclrfinalcopy), or write "Anonymous" in place of the names.
    """
    if not in_review(doc):
        return
    sc = scan(doc)
    st = sc.template
    if st is not None and st.anonymous:
        return
    titles = st.title_macros if st else ("maketitle",)
    body_texts = [sc.body[r] for r in sc.body]
    if not any(re.search(rf"\\{t}(?![A-Za-z@])", b) for t in titles for b in body_texts):
        return  # no title is typeset, so no author block either
    found: list[tuple[Span, str]] = []
    for sp in sc.author_spans:
        raw = sc.texts[sp.file][sp.start : sp.end]
        inner = raw[len(sp.command) + 1 :]
        mails = [m.group() for m in emails(inner)]
        plain = plain_text(inner)
        if mails or not is_placeholder(plain):
            found.append((sp, mails[0] if mails and is_placeholder(plain) else plain))
    if not found:
        return
    first = found[0][0]
    shown = "; ".join(f"'{short(w)}'" for _, w in found[:3]) + (
        f" and {len(found) - 3} more" if len(found) > 3 else ""
    )
    if st is not None:
        why = f"{st.name} prints the author block with {st.why}"
        fix = (
            f"{st.to_review} for the anonymous review version"
            if st.to_review
            else "use the template's review option"
        )
    else:
        why = "\\maketitle prints it (no venue template hides it here)"
        fix = "write 'Anonymous' in place of names, affiliations and e-mails for the review version"
    related = tuple(loc(doc, sp.file, sp.start) for sp, _ in found[1:])
    yield Hit(
        f"the author block names {shown}: {why}",
        loc(doc, first.file, first.start),
        fix,
        related=related,
    )


# --- PT602 ----------------------------------------------------------------------------------


@rule(
    "PT602",
    "email-in-text",
    "warning",
    "An e-mail address in the text of a double-blind submission",
)
def email_in_text(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports e-mail addresses in the
    body of the paper (footnotes, text, tables), outside the author block, which PT601 checks.
    Text in the body is always printed, whatever the template. Addresses at example.com, at
    the venue's own domains and ones with "anonymous" in them are not reported.

    Why it matters: a contact address names a person or at least an institution.

    Example: `Questions about the data: \\texttt{jdoe@cs.uni-x.edu}.`

    Fix: remove the address from the review version; add it back for the camera-ready.
    """
    if not in_review(doc):
        return
    for rel, text in scan(doc).body.items():
        for m in emails(text):
            yield Hit(
                f"e-mail address '{m.group()}' in the text identifies the authors",
                loc(doc, rel, m.start()),
            )
