"""A faster pylatexenc LatexWalker: same nodes, with text read in runs instead of by character.

pylatexenc 2 turns every ordinary character into its own token (a LatexToken object, a call of
the node reader, a string concatenation) and tests each one against every "specials" sequence;
that is ~85% of its time on prose. `get_latex_nodes` only concatenates consecutive character
tokens into one chars node, so handing it a run of ordinary characters as one token builds the
same nodes. Runs are given only to that caller (recognised by its keyword arguments); argument
parsers, which read single tokens, get pylatexenc's own tokens. The specials test is replaced by
a lookup on the first character with the same longest-match rule.
"""

from __future__ import annotations

import re

from pylatexenc import latexwalker as lw
from pylatexenc.version import version_str

from papertrack.parse.nodelist import COPIED_FROM
from papertrack.parse.nodelist import get_latex_nodes as _get_latex_nodes

_UNSET = object()
# What get_token treats specially besides specials and extra brace pairs.
_STRUCTURAL = "\\%{}$"
_SPACE = re.compile(r"\s*")  # \s is str.isspace(), the original's test
_LETTERS = re.compile(r"[^\W\d_]+")  # a superset of str.isalpha() runs; checked with isalpha()
_ENV_NAME = re.compile(r"\s*\{([\w* ._-]+)\}")  # the original's, matched in place


class FastLatexWalker(lw.LatexWalker):
    """LatexWalker whose node lists are built from runs of ordinary characters."""

    if version_str == COPIED_FROM:  # the copy without a class made per call (nodelist.py)
        get_latex_nodes = _get_latex_nodes

    def __init__(self, s, latex_context=None, **kwargs) -> None:
        super().__init__(s, latex_context=latex_context, **kwargs)
        if latex_context is not None:
            _index_specials(latex_context)
        self._stops: dict[tuple, re.Pattern] = {}

    def get_token(
        self,
        pos,
        include_brace_chars=_UNSET,
        environments=True,
        keep_inline_math=None,
        parsing_state=None,
        **kwargs,
    ):
        """pylatexenc's get_token, with its character loops done by regular expressions."""
        # get_latex_nodes (and get_latex_braced_group, whose first token must be a brace anyway)
        # pass include_brace_chars explicitly, even as None; nobody else does with environments on
        runs = include_brace_chars is not _UNSET and environments is True and not kwargs
        if include_brace_chars is _UNSET:
            include_brace_chars = None
        if kwargs:  # brackets_are_chars and other rarities: the original
            return super().get_token(
                pos,
                include_brace_chars=include_brace_chars,
                environments=environments,
                keep_inline_math=keep_inline_math,
                parsing_state=parsing_state,
                **kwargs,
            )
        if parsing_state is None:
            parsing_state = self.make_parsing_state()
        s = self.s
        n = len(s)
        # leading whitespace; two newlines in a row are a paragraph token of their own
        space = _SPACE.match(s, pos).group()
        if space:
            par = space.find("\n\n")
            if par >= 0:
                return lw.LatexToken(
                    tok="char", arg="\n\n", pos=pos + par, len=2, pre_space=space[:par]
                )
            pos += len(space)
        if pos >= n:
            raise lw.LatexWalkerEndOfStream(final_space=space)
        c = s[pos]
        if c == "\\":
            if pos + 1 >= n:
                raise lw.LatexWalkerEndOfStream()
            m = _LETTERS.match(s, pos + 1)
            if m is None:
                macro = s[pos + 1]
                isalpha = False
            else:
                macro = m.group()
                if not macro.isalpha():  # a letter-like that str.isalpha() refuses: the original
                    return self._original(
                        pos - len(space), include_brace_chars, environments, parsing_state
                    )
                isalpha = True
            i = 1 + len(macro)
            if macro in ("[", "]"):
                return lw.LatexToken(
                    tok="mathmode_display", arg="\\" + macro, pos=pos, len=i, pre_space=space
                )
            if macro in ("(", ")"):
                return lw.LatexToken(
                    tok="mathmode_inline", arg="\\" + macro, pos=pos, len=i, pre_space=space
                )
            if environments and macro in ("begin", "end"):
                envmatch = _ENV_NAME.match(s, pos + i)
                if envmatch is None:  # a parse error token: the original
                    return self._original(
                        pos - len(space), include_brace_chars, environments, parsing_state
                    )
                return lw.LatexToken(
                    tok="begin_environment" if macro == "begin" else "end_environment",
                    arg=envmatch.group(1),
                    pos=pos,
                    len=envmatch.end() - pos,
                    pre_space=space,
                )
            post_space = ""
            if isalpha:
                # spaces after a letter macro belong to it, up to a paragraph break
                post_space = _SPACE.match(s, pos + i).group()
                par = post_space.find("\n\n")
                if par >= 0:
                    post_space = post_space[:par]
                i += len(post_space)
            return lw.LatexToken(
                tok="macro", arg=macro, pos=pos, len=i, pre_space=space, post_space=post_space
            )
        if c == "%":  # the bare % masking leaves on a comment-only line: the original reads it
            return self._original(
                pos - len(space), include_brace_chars, environments, parsing_state
            )
        if c == "{" or (include_brace_chars and any(c == o for o, _c in include_brace_chars)):
            return lw.LatexToken(tok="brace_open", arg=c, pos=pos, len=1, pre_space=space)
        if c == "}" or (include_brace_chars and any(c == cl for _o, cl in include_brace_chars)):
            return lw.LatexToken(tok="brace_close", arg=c, pos=pos, len=1, pre_space=space)
        if c == "$":
            if (
                s.startswith("$$", pos)
                and not (parsing_state.in_math_mode and parsing_state.math_mode_delimiter == "$")
                and not _group_ends_first(s, pos + 2)
            ):
                return lw.LatexToken(
                    tok="mathmode_display", arg="$$", pos=pos, len=2, pre_space=space
                )
            return lw.LatexToken(tok="mathmode_inline", arg="$", pos=pos, len=1, pre_space=space)
        sspec = parsing_state.latex_context.test_for_specials(s, pos, parsing_state=parsing_state)
        if sspec is not None:
            return lw.LatexToken(
                tok="specials", arg=sspec, pos=pos, len=len(sspec.specials_chars), pre_space=space
            )
        if runs:
            stop = self._stop_pattern(parsing_state.latex_context, include_brace_chars)
            m = stop.search(s, pos + 1)
            end = m.start() if m else n
            # the run ends on its last non-space character: spaces before the next token are
            # that token's pre_space, exactly as when reading one character at a time
            run = s[pos:end].rstrip()
            return lw.LatexToken(tok="char", arg=run, pos=pos, len=len(run), pre_space=space)
        return lw.LatexToken(tok="char", arg=c, pos=pos, len=1, pre_space=space)

    def _original(self, pos, include_brace_chars, environments, parsing_state):
        return super().get_token(
            pos,
            include_brace_chars=include_brace_chars,
            environments=environments,
            parsing_state=parsing_state,
        )

    def _stop_pattern(self, db, include_brace_chars) -> re.Pattern:
        key = (id(db), tuple(include_brace_chars or ()))
        pat = self._stops.get(key)
        if pat is None:
            chars = set(_STRUCTURAL)
            for cat in db.category_list:
                chars.update(k[0] for k in db.d[cat]["specials"] if k)
            for pair in include_brace_chars or ():
                chars.update(pair)
            pat = self._stops[key] = re.compile(
                "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"
            )
        return pat


def _index_specials(db) -> None:
    """Give `db` a test_for_specials that looks up by first character (same result)."""
    if getattr(db, "_papertrack_specials_n", None) == len(db.category_list):
        return
    order: list[tuple[str, object]] = []
    for cat in db.category_list:
        for chars, spec in db.d[cat]["specials"].items():
            if chars:
                order.append((chars, spec))
    by_first: dict[str, list[tuple[str, object]]] = {}
    # longest match wins; among equal lengths the first one met in category order (as in
    # pylatexenc's loop, which only replaces a match by a strictly longer one)
    for _i, (chars, spec) in sorted(enumerate(order), key=lambda t: (-len(t[1][0]), t[0])):
        by_first.setdefault(chars[0], []).append((chars, spec))

    def test_for_specials(s, pos, parsing_state=None):
        for chars, spec in by_first.get(s[pos : pos + 1], ()):
            if s.startswith(chars, pos):
                return spec
        return None

    db.test_for_specials = test_for_specials
    db._papertrack_specials_n = len(db.category_list)


def _group_ends_first(s: str, pos: int, window: int = 20000) -> bool:
    """Whether the group around pos closes before the next `$$`: then the `$$` at pos is an
    empty formula (`{0/$0$, 2/$$}`, TikZ labels set in a box), since a display cannot end
    outside the group it began in."""
    depth = 0
    end = min(len(s), pos + window)
    i = pos
    while i < end:
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "$" and s.startswith("$$", i):
            return False
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return True
        i += 1
    return False
