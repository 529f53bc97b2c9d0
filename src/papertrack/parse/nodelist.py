"""pylatexenc 2.11's LatexWalker.get_latex_nodes with its position helper class made once.

The original defines a class inside the method, so every call (one per group, argument,
environment and math span: ~3,200 on a 170 kB paper) builds a class and leaves a reference
cycle for the collector: ~12% of a cold parse. The code is the original's (MIT licence,
comments and docstring left out) but for `_PosPointer`, defined once here; bench/walk_equiv.py
compares the node trees with pylatexenc's own walker.
"""

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

            try:
                (mathinline_nodelist, mpos, mlen) = self.get_latex_nodes(
                    p.pos,
                    stop_upon_closing_mathmode=corresponding_closing_mathmode,
                    parsing_state=parsing_state_inner,
                )
            except LatexWalkerParseError as e:
                e.open_contexts.append(
                    _maketuple(
                        f'math mode "{tok.arg}"',
                        tok.pos,
                        *self.pos_to_lineno_colno(tok.pos),
                    )
                )
                raise
            p.pos = mpos + mlen

            nodelist.append(
                self.make_node(
                    LatexMathNode,
                    parsing_state=p.parsing_state,
                    displaytype=displaytype,
                    nodelist=mathinline_nodelist,
                    delimiters=(tok.arg, corresponding_closing_mathmode),
                    pos=tok.pos,
                    len=mpos + mlen - tok.pos,
                )
            )
            if read_max_nodes and len(nodelist) >= read_max_nodes:
                return True
            return

        if tok.tok == "comment":
            commentnode = self.make_node(
                LatexCommentNode,
                parsing_state=p.parsing_state,
                comment=tok.arg,
                comment_post_space=tok.post_space,
                pos=tok.pos,
                len=tok.len,
            )
            nodelist.append(commentnode)
            if read_max_nodes and len(nodelist) >= read_max_nodes:
                return True
            return

        if tok.tok == "brace_open":
            try:
                (groupnode, bpos, blen) = self.get_latex_braced_group(
                    tok.pos, brace_type=tok.arg, parsing_state=p.parsing_state
                )
            except LatexWalkerParseError as e:
                e.open_contexts.append(
                    _maketuple("open brace", tok.pos, *self.pos_to_lineno_colno(tok.pos))
                )
                raise

            p.pos = bpos + blen
            nodelist.append(groupnode)
            if read_max_nodes and len(nodelist) >= read_max_nodes:
                return True
            return

        if tok.tok == "begin_environment":
            try:
                (envnode, epos, elen) = self.get_latex_environment(
                    tok.pos, environmentname=tok.arg, parsing_state=p.parsing_state
                )
            except LatexWalkerParseError as e:
                e.open_contexts.append(
                    _maketuple(
                        f'begin environment "{tok.arg}"',
                        tok.pos,
                        *self.pos_to_lineno_colno(tok.pos),
                    )
                )
                raise
            p.pos = epos + elen
            nodelist.append(envnode)
            if read_max_nodes and len(nodelist) >= read_max_nodes:
                return True
            return

        if tok.tok == "macro":
            macroname = tok.arg
            mspec = p.parsing_state.latex_context.get_macro_spec(macroname)
            if mspec is None:
                mspec = macrospec.MacroSpec("")

            try:
                margsresult = mspec.parse_args(
                    w=self, pos=tok.pos + tok.len, parsing_state=p.parsing_state
                )
            except (LatexWalkerEndOfStream, LatexWalkerParseError) as e:
                e = self._exchandle_parse_subexpression(e, tok, f'arguments of macro "{macroname}"')
                if e is not None:
                    raise e
                margsresult = (None, tok.pos + tok.len, 0, {})

            if len(margsresult) == 4:
                (nodeargd, mapos, malen, mdic) = margsresult
            else:
                (nodeargd, mapos, malen) = margsresult
                mdic = {}

            p.pos = mapos + malen

            if nodeargd is not None and nodeargd.legacy_nodeoptarg_nodeargs:
                nodeoptarg = nodeargd.legacy_nodeoptarg_nodeargs[0]
                nodeargs = nodeargd.legacy_nodeoptarg_nodeargs[1]
            else:
                nodeoptarg, nodeargs = None, []
            node = self.make_node(
                LatexMacroNode,
                parsing_state=p.parsing_state,
                macroname=tok.arg,
                nodeargd=nodeargd,
                macro_post_space=tok.post_space,
                nodeoptarg=nodeoptarg,
                nodeargs=nodeargs,
                pos=tok.pos,
                len=p.pos - tok.pos,
            )
            nodelist.append(node)

            if "new_parsing_state" in mdic:
                p.parsing_state = mdic["new_parsing_state"]

            if read_max_nodes and len(nodelist) >= read_max_nodes:
                return True
            return None

        if tok.tok == "specials":
            sspec = tok.arg

            p.pos = tok.pos + tok.len
            nodeargd = None

            try:
                res = sspec.parse_args(w=self, pos=p.pos, parsing_state=p.parsing_state)
            except (LatexWalkerEndOfStream, LatexWalkerParseError) as e:
                e = self._exchandle_parse_subexpression(
                    e, tok, f'arguments of specials "{sspec.specials_chars}"'
                )
                if e is not None:
                    raise e
                res = (None, p.pos, 0, {})

            if res is not None:
                if len(res) == 4:
                    (nodeargd, mapos, malen, spdic) = res
                else:
                    (nodeargd, mapos, malen) = res
                    spdic = {}

                p.pos = mapos + malen

            else:
                spdic = {}

            node = self.make_node(
                LatexSpecialsNode,
                parsing_state=p.parsing_state,
                specials_chars=sspec.specials_chars,
                nodeargd=nodeargd,
                pos=tok.pos,
                len=p.pos - tok.pos,
            )
            nodelist.append(node)

            if "new_parsing_state" in spdic:
                p.parsing_state = spdic["new_parsing_state"]

            if read_max_nodes and len(nodelist) >= read_max_nodes:
                return True
            return None

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
