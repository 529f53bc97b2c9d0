"""pylatexenc 2.11's LatexWalker.get_latex_nodes with its position helper class made once.

The original defines a class inside the method, so every call (one per group, argument,
environment and math span: ~3,200 on a 170 kB paper) builds a class and leaves a reference
cycle for the collector: ~12% of a cold parse. The code is the original's (MIT licence,
comments and docstring left out) but for `_PosPointer`, defined once here; bench/walk_equiv.py
compares the node trees with pylatexenc's own walker.
"""

# The method below is copied from pylatexenc (pylatexenc/latexwalker/__init__.py), whose
# licence asks that this notice travel with it:
#
# The MIT License (MIT)
#
# Copyright (c) 2018 Philippe Faist
#
# Permission is hereby granted, free of charge, to any person obtaining a copy
# of this software and associated documentation files (the "Software"), to deal
# in the Software without restriction, including without limitation the rights
# to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is
# furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in
# all copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
# FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
# LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
# THE SOFTWARE.

from __future__ import annotations

from pylatexenc import macrospec
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexMacroNode,
    LatexMathNode,
    LatexSpecialsNode,
    LatexWalkerEndOfStream,
    LatexWalkerParseError,
    _maketuple,
    logger,
)

COPIED_FROM = "2.11"  # the pylatexenc version whose method this is (others keep their own)


class _PosPointer:
    def __init__(self, pos, parsing_state, lastchars="", lastchars_pos=None):
        self.pos = pos
        self.parsing_state = parsing_state
        self.lastchars = lastchars
        self.lastchars_pos = lastchars_pos

    def push_lastchars(self, pos, chars):
        self.lastchars += chars
        if self.lastchars_pos is None:
            self.lastchars_pos = pos

    def flush_lastchars(self):
        res = self.lastchars_pos, self.lastchars
        self.lastchars = ""
        self.lastchars_pos = None
        return res


def _error(w, pos, msg, at=None) -> LatexWalkerParseError:
    at = pos if at is None else at
    return LatexWalkerParseError(s=w.s, pos=pos, msg=msg, **w.pos_to_lineno_colno(at, as_dict=True))


def _inside(w, tok, what: str, read):
    """read(), naming what it was inside on a parse error (pylatexenc's open contexts)."""
    try:
        return read()
    except LatexWalkerParseError as e:
        e.open_contexts.append(_maketuple(what, tok.pos, *w.pos_to_lineno_colno(tok.pos)))
        raise


def _arguments(w, spec, tok, pos, p, what: str):
    """A macro's or specials' arguments as (nodeargd, pos, len, dict); None when a specials
    takes none; a parse error is reported and the arguments left out (tolerant mode)."""
    try:
        res = spec.parse_args(w=w, pos=pos, parsing_state=p.parsing_state)
    except (LatexWalkerEndOfStream, LatexWalkerParseError) as e:
        e = w._exchandle_parse_subexpression(e, tok, what)
        if e is not None:
            raise e
        res = (None, pos, 0, {})
    if res is None or len(res) == 4:
        return res
    return (*res, {})


def _append(nodelist, node, p, dic, read_max_nodes):
    """Add a node (a macro's or specials' arguments may switch the parsing state); True once
    enough nodes are read."""
    nodelist.append(node)
    if "new_parsing_state" in dic:
        p.parsing_state = dic["new_parsing_state"]
    return True if read_max_nodes and len(nodelist) >= read_max_nodes else None


def _ending_here(w, cls, p, tok, **fields):
    """A node from its token's start to the reading position (after its arguments)."""
    return w.make_node(
        cls, parsing_state=p.parsing_state, pos=tok.pos, len=p.pos - tok.pos, **fields
    )


def get_latex_nodes(
    self,
    pos=0,
    stop_upon_closing_brace=None,
    stop_upon_end_environment=None,
    stop_upon_closing_mathmode=None,
    read_max_nodes=None,
    parsing_state=None,
):

    if parsing_state is None:
        parsing_state = self.make_parsing_state()  # get default parsing state

    nodelist = []

    include_brace_chars = None
    opening_brace_for_stop_upon_closing_brace = None
    if stop_upon_closing_brace:
        if stop_upon_closing_brace == "}":
            opening_brace_for_stop_upon_closing_brace = "{"
        elif stop_upon_closing_brace == "]":
            opening_brace_for_stop_upon_closing_brace = "["
        elif stop_upon_closing_brace == ")":
            opening_brace_for_stop_upon_closing_brace = "("
        elif stop_upon_closing_brace == ">":
            opening_brace_for_stop_upon_closing_brace = "<"
        elif len(stop_upon_closing_brace) == 2:
            opening_brace_for_stop_upon_closing_brace, stop_upon_closing_brace = (
                stop_upon_closing_brace
            )

        if stop_upon_closing_brace != "}":
            include_brace_chars = [
                (opening_brace_for_stop_upon_closing_brace, stop_upon_closing_brace)
            ]

    if stop_upon_closing_mathmode is not None and not parsing_state.in_math_mode:
        logger.warning(
            f"Call to LatexWalker.get_latex_nodes(stop_upon_closing_mathmode={stop_upon_closing_mathmode!r}) "
            f"but parsing state has in_math_mode={parsing_state.in_math_mode!r}"
        )

    origpos = pos

    p = _PosPointer(pos=pos, parsing_state=parsing_state)

    def do_read(nodelist, p):
        # one token, recursing into groups and environments; True (or an exception) to stop

        try:
            tok = self.get_token(
                p.pos, include_brace_chars=include_brace_chars, parsing_state=p.parsing_state
            )
        except LatexWalkerEndOfStream as e:
            if self.tolerant_parsing:
                return e
            raise  # re-raise
        except LatexWalkerParseError:
            assert not self.tolerant_parsing
            raise  # exception will be handled in outer loop

        p.pos = tok.pos + tok.len

        if tok.tok == "char":
            p.push_lastchars(pos=(tok.pos - len(tok.pre_space)), chars=(tok.pre_space + tok.arg))
            return False

        if len(p.lastchars):
            charspos, chars = p.flush_lastchars()
            strnode = self.make_node(
                LatexCharsNode,
                parsing_state=p.parsing_state,
                chars=chars + tok.pre_space,
                pos=charspos,
                len=tok.pos - charspos,
            )
            nodelist.append(strnode)
            if read_max_nodes and len(nodelist) >= read_max_nodes:
                p.pos = tok.pos
                return True
        elif len(tok.pre_space):
            spacestrnode = self.make_node(
                LatexCharsNode,
                parsing_state=p.parsing_state,
                chars=tok.pre_space,
                pos=tok.pos - len(tok.pre_space),
                len=len(tok.pre_space),
            )
            nodelist.append(spacestrnode)
            if read_max_nodes and len(nodelist) >= read_max_nodes:
                p.pos = tok.pos
                return True

        if tok.tok == "brace_close":
            if tok.arg != stop_upon_closing_brace:
                raise _error(self, tok.pos, f"Unexpected mismatching closing brace: '{tok.arg}'")
            return True

        if tok.tok == "end_environment":
            if not stop_upon_end_environment:
                raise _error(self, tok.pos, (f"Unexpected closing environment: '{tok.arg}'"))
            elif tok.arg != stop_upon_end_environment:
                raise _error(
                    self,
                    tok.pos,
                    (
                        f"Unexpected mismatching closing environment: '{tok.arg}', "
                        f"was expecting '{stop_upon_end_environment}'"
                    ),
                )
            return True

        if tok.tok in ("mathmode_inline", "mathmode_display"):
            if stop_upon_closing_mathmode is not None:
                if tok.arg == stop_upon_closing_mathmode:
                    return True
                if tok.arg in [r"\)", r"\]"]:
                    raise _error(
                        self,
                        tok.pos,
                        f"Mismatching closing math mode: '{tok.arg}', expected '{stop_upon_closing_mathmode}'",
                    )
                assert tok.arg in ["$", "$$", r"\(", r"\["]
            elif tok.arg in [r"\)", r"\]"]:
                raise _error(self, tok.pos, f"Unexpected closing math mode: '{tok.arg}'")

            corresponding_closing_mathmode = {r"\(": r"\)", r"\[": r"\]"}.get(tok.arg, tok.arg)
            displaytype = "inline" if tok.arg in [r"\(", "$"] else "display"

            parsing_state_inner = p.parsing_state.sub_context(
                in_math_mode=True, math_mode_delimiter=tok.arg
            )

            (mathinline_nodelist, mpos, mlen) = _inside(
                self,
                tok,
                f'math mode "{tok.arg}"',
                lambda: self.get_latex_nodes(
                    p.pos,
                    stop_upon_closing_mathmode=corresponding_closing_mathmode,
                    parsing_state=parsing_state_inner,
                ),
            )
            p.pos = mpos + mlen

            node = self.make_node(
                LatexMathNode,
                parsing_state=p.parsing_state,
                displaytype=displaytype,
                nodelist=mathinline_nodelist,
                delimiters=(tok.arg, corresponding_closing_mathmode),
                pos=tok.pos,
                len=mpos + mlen - tok.pos,
            )
            return _append(nodelist, node, p, {}, read_max_nodes)

        if tok.tok == "comment":
            commentnode = self.make_node(
                LatexCommentNode,
                parsing_state=p.parsing_state,
                comment=tok.arg,
                comment_post_space=tok.post_space,
                pos=tok.pos,
                len=tok.len,
            )
            return _append(nodelist, commentnode, p, {}, read_max_nodes)

        if tok.tok in ("brace_open", "begin_environment"):
            if tok.tok == "brace_open":
                what, read = "open brace", self.get_latex_braced_group
                kw = {"brace_type": tok.arg}
            else:
                what, read = f'begin environment "{tok.arg}"', self.get_latex_environment
                kw = {"environmentname": tok.arg}
            (node, npos, nlen) = _inside(
                self, tok, what, lambda: read(tok.pos, parsing_state=p.parsing_state, **kw)
            )
            p.pos = npos + nlen
            return _append(nodelist, node, p, {}, read_max_nodes)

        if tok.tok == "macro":
            macroname = tok.arg
            mspec = p.parsing_state.latex_context.get_macro_spec(macroname)
            if mspec is None:
                mspec = macrospec.MacroSpec("")

            (nodeargd, mapos, malen, mdic) = _arguments(
                self, mspec, tok, tok.pos + tok.len, p, f'arguments of macro "{macroname}"'
            )

            p.pos = mapos + malen

            if nodeargd is not None and nodeargd.legacy_nodeoptarg_nodeargs:
                nodeoptarg = nodeargd.legacy_nodeoptarg_nodeargs[0]
                nodeargs = nodeargd.legacy_nodeoptarg_nodeargs[1]
            else:
                nodeoptarg, nodeargs = None, []
            node = _ending_here(
                self,
                LatexMacroNode,
                p,
                tok,
                macroname=tok.arg,
                nodeargd=nodeargd,
                macro_post_space=tok.post_space,
                nodeoptarg=nodeoptarg,
                nodeargs=nodeargs,
            )
            return _append(nodelist, node, p, mdic, read_max_nodes)

        if tok.tok == "specials":
            sspec = tok.arg

            p.pos = tok.pos + tok.len
            nodeargd = None

            res = _arguments(
                self, sspec, tok, p.pos, p, f'arguments of specials "{sspec.specials_chars}"'
            )
            if res is not None:
                (nodeargd, mapos, malen, spdic) = res
                p.pos = mapos + malen
            else:
                spdic = {}

            node = _ending_here(
                self,
                LatexSpecialsNode,
                p,
                tok,
                specials_chars=sspec.specials_chars,
                nodeargd=nodeargd,
            )
            return _append(nodelist, node, p, spdic, read_max_nodes)

        raise _error(self, p.pos, f"Unknown token: {tok!r}")

    while True:
        try:
            r_endnow = do_read(nodelist, p)
        except LatexWalkerEndOfStream:
            if stop_upon_closing_brace or stop_upon_end_environment or stop_upon_closing_mathmode:
                if stop_upon_closing_brace:
                    expecting = "'" + stop_upon_closing_brace + "'"
                elif stop_upon_end_environment:
                    expecting = r"\end{" + stop_upon_end_environment + "}"
                elif stop_upon_closing_mathmode:
                    expecting = "'" + stop_upon_closing_mathmode + "'"
                e = _error(
                    self,
                    p.pos,
                    f"Unexpected end of stream, was expecting {expecting}",
                    at=len(self.s),
                )
                if self.tolerant_parsing:
                    self._report_ignore_parse_error(e)
                    r_endnow = True
                else:
                    raise e  # noqa: B904 (as pylatexenc raises it)
            else:
                r_endnow = e
        except LatexWalkerParseError as e:
            if self.tolerant_parsing:
                self._report_ignore_parse_error(e)
                r_endnow = False
            else:
                raise

        if r_endnow:
            if isinstance(r_endnow, LatexWalkerEndOfStream):
                p.push_lastchars(pos=p.pos, chars=r_endnow.final_space)
                p.pos += len(r_endnow.final_space)

            if p.lastchars:
                charspos, chars = p.flush_lastchars()
                strnode = self.make_node(
                    LatexCharsNode,
                    parsing_state=p.parsing_state,
                    chars=chars,
                    pos=charspos,
                    len=len(chars),
                )
                nodelist.append(strnode)
            # papertrack's one change besides the class: the end-of-stream exception's traceback
            # holds this frame, whose locals hold the exception and the node list; dropped, the
            # tree is freed when its reader is done instead of waiting for the cycle collector
            r_endnow = None
            return (nodelist, origpos, p.pos - origpos)
