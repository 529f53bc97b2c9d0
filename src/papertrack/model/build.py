"""Building the document model from a loaded project: parse each file (cached), then assemble."""

from __future__ import annotations

import os
import re
from pathlib import Path

from papertrack.facts import Event, Label
from papertrack.model.document import _OWNER, Document, build_sections
from papertrack.model.wrappers import class_wrappers, package_wrappers, unreached_wrappers
from papertrack.parse import bib as bibparse
from papertrack.parse import bindings, chunked, colspec, latex, macros, structure
from papertrack.parse import cache as cachemod
from papertrack.project import includes as inc
from papertrack.project.loader import Project, visible_text

# The pylatexenc context of the last macro table (by fingerprint): building it costs ~5 ms, and
# watch builds the document again on every save.
_CONTEXTS: dict[str, object] = {}


def _file_facts(
    project: Project,
    rel: str,
    text: str,
    table: macros.MacroTable,
    fp: str,
    cache: cachemod.Cache,
    db_box: list,
):
    """Parse one file, or take its facts from the cache (keyed by text, includes and macros)."""
    src = project.files[rel]
    if src.problem:
        return latex.FileFacts(), []  # not analysed; the loader already reported why
    splits = sorted(i.pos for i in project.includes.get(rel, []))
    k = _file_key(project, rel, text, fp)
    hit = cache.get(k)
    if hit is not None:
        return hit
    diags, depth = structure.check_structure(rel, text, src.line_col, is_root=rel == project.main)
    if depth > structure.MAX_DEPTH:
        facts = latex.FileFacts(
            parse_error=f"braces nested {depth} deep; papertrack analyses up to {structure.MAX_DEPTH}"
        )
    else:

        def db():
            if not db_box:
                ctx = _CONTEXTS.get(fp)
                if ctx is None:
                    _CONTEXTS.clear()
                    ctx = _CONTEXTS[fp] = latex.context_db(table)
                db_box.append(ctx)
            return db_box[0]

        # long files are parsed in cached chunks: a save re-parses only the paragraphs it touched
        facts = chunked.parse_chunked(rel, text, src.line_col, table, splits, db, cache, fp)
    result = (facts, diags)
    cache.put(k, result)
    return result


def _file_key(project: Project, rel: str, text: str, fp: str) -> str:
    splits = sorted(i.pos for i in project.includes.get(rel, []))
    root = (rel == project.main and "root") or ""
    # the facts carry the file name: a renamed file with the same text must not reuse them
    return cachemod.key("tex", rel, text, fp, ",".join(map(str, splits)), root)


# A cold check parses every file; with two cores a forked helper parses about half of them
# into the cache while this process parses the rest (then both halves are cache hits).
PARALLEL_MIN_CHARS = 40_000


def _no_idle_core() -> bool:
    """Whether other work keeps the cores busy (the 1-minute load average): the helper would
    then share a core with this process and finish no sooner, while the pages both processes
    copy after the fork cost ~50-100 ms CPU on ICLR."""
    import os

    try:
        return os.getloadavg()[0] >= (os.cpu_count() or 1) - 1
    except OSError:
        return False


def _parse_in_parallel(project: Project, texts: dict, table, fp: str, cache, db_box: list) -> dict:
    """Fill the parse cache for the files that miss it, in two processes (Linux, cold runs).

    Returns this process's own results; the helper's are read back from the cache."""
    import os
    import sys
    import threading

    if (
        not cache.enabled
        or sys.platform != "linux"
        or (os.cpu_count() or 1) < 2
        or threading.active_count() > 1  # forking a threaded process (watch) is unsafe
        or os.environ.get("PAPERTRACK_JOBS") == "1"
        or _no_idle_core()
    ):
        return {}
    todo = [
        rel
        for rel in project.order
        if not project.files[rel].problem and not cache.has(_file_key(project, rel, texts[rel], fp))
    ]
    if len(todo) < 2 or sum(len(texts[r]) for r in todo) < PARALLEL_MIN_CHARS:
        return {}
    mine: list[str] = []
    theirs: list[str] = []
    load = [0, 0]
    for rel in sorted(todo, key=lambda r: -len(texts[r])):  # greedy balance by size
        side = 0 if load[0] <= load[1] else 1
        (mine if side == 0 else theirs).append(rel)
        load[side] += len(texts[rel])
    try:
        pid = os.fork()
    except OSError:
        return {}
    if pid == 0:  # the helper: parse into the cache, print nothing, run no exit handlers
        code = 0
        try:
            for rel in theirs:
                _file_facts(project, rel, texts[rel], table, fp, cache, db_box)
        except BaseException:
            code = 1
        os._exit(code)
    done = {}
    try:
        for rel in mine:
            done[rel] = _file_facts(project, rel, texts[rel], table, fp, cache, db_box)
    except BaseException:
        os.kill(pid, 9)
        raise
    finally:
        # whatever the helper did not finish, the caller parses itself (a cache miss)
        os.waitpid(pid, 0)
    return done


def _flow(project: Project, facts: dict, rel: str, stack: list[str]) -> list[tuple[str, Event]]:
    """Events of a file in document order, with included files spliced in where they are included."""
    out: list[tuple[str, Event]] = []
    events = facts[rel].events if rel in facts else []
    incs = [i for i in project.includes.get(rel, []) if i.target and i.target in facts]
    ei = 0
    for inc_ in incs:
        # <=: the parser flushes the words before an include at the include's own position
        while ei < len(events) and events[ei].pos <= inc_.pos:
            out.append((rel, events[ei]))
            ei += 1
        if inc_.target not in stack and len(stack) < 64:
            out.extend(_flow(project, facts, inc_.target, [*stack, inc_.target]))
    out.extend((rel, e) for e in events[ei:])
    return out


_CODE_LABEL = re.compile(r"\\label\s*\{([^{}\n]+)\}")
_MAX_CODE_BYTES = 1 << 20


def _code_file_labels(project: Project, inputs: list) -> list[Label]:
    """Labels escaped into code files that \\lstinputlisting typesets (escapeinside)."""
    out: list[Label] = []
    folder = project.folder.resolve()
    for g in inputs:
        # TeX's working directory is the root file's folder; then the including file's folder
        root_dir = (project.folder / project.main).parent
        for base in (root_dir, (project.folder / g.file).parent, project.folder):
            path = (base / g.path).resolve()
            if not path.is_relative_to(folder) or not path.is_file():
                continue  # only the project's own files are read
            try:
                if path.stat().st_size > _MAX_CODE_BYTES:
                    break
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                break
            rel = path.relative_to(folder).as_posix()
            for m in _CODE_LABEL.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                out.append(Label(m.group(1).strip(), rel, line, 1, "listing-escape"))
            break
    return out


_PROSE_WORD = re.compile(r"(?<![\\a-zA-Z])[A-Za-z]{3,}")
_COMMAND = re.compile(r"\\[a-zA-Z@]+\*?(?:\s*\{[^{}]*\})?")


def _warn_if_unread(doc: Document, texts: dict[str, str]) -> None:
    """Say so when the source holds prose and papertrack read none of it (an empty paper
    reported as 'done 0%' would be a false answer, not a finding)."""
    read = (
        doc.front_words
        + (doc.abstract_words or 0)
        + sum(s.words for s in doc.sections)
        + doc.caption_words
    )
    if read:
        return
    visible = sum(len(_PROSE_WORD.findall(_COMMAND.sub(" ", t))) for t in texts.values())
    if visible >= 100:
        doc.diagnostics.append(
            bibparse.Diagnostic(
                "parse-failure",
                doc.main,
                1,
                1,
                f"{doc.main}: papertrack could not follow this paper's text (about {visible} "
                "words in the source, none read): its counts and findings are incomplete",
            )
        )


def build_document(project: Project, cache: cachemod.Cache | None = None) -> Document:
    """Parse every reachable file and bibliography and assemble the Document."""
    cache = cache or cachemod.Cache()
    texts = {rel: visible_text(project, rel) for rel in project.order}
    defs: list[macros.UserMacro] = (
        class_wrappers(project) + package_wrappers(project) + unreached_wrappers(project)
    )
    for rel in project.order:
        defs.extend(macros.find_definitions(texts[rel], rel, project.files[rel].line_col))
    bound = bindings.bound_names(project.bindings)
    table = macros.build_table(defs, bound)
    for rel in project.order:
        table.tcb_theorems.update(macros.find_tcb_theorems(texts[rel]))
    # definition bodies are templates: a \begin{list} in one is no document structure or text
    texts = {rel: macros.blank_definitions(t) for rel, t in texts.items()}
    texts = {rel: colspec.blank_column_math(t) for rel, t in texts.items()}
    verbatim = macros.verbatim_macros(table)
    if verbatim:  # \newcommand{\hs}{\mintinline{haskell}}: \hs{(\} is code, not a brace
        balanced = macros.balanced_verbatim_macros(table, verbatim)
        texts = {rel: macros.blank_verbatim_args(t, verbatim, balanced) for rel, t in texts.items()}
    fp = table.fingerprint()
    doc = Document(project=project, macros=table, diagnostics=list(project.diagnostics))
    for rel in project.order:
        for c in project.files[rel].comments:
            m = _OWNER.match(c.text)
            if m:
                doc.owners.setdefault(rel, m.group(1))
    db_box: list = []
    facts: dict[str, latex.FileFacts] = {}
    done = _parse_in_parallel(project, texts, table, fp, cache, db_box)
    for rel in project.order:
        f, diags = done.get(rel) or _file_facts(project, rel, texts[rel], table, fp, cache, db_box)
        f = facts[rel] = bindings.bind_facts(
            f, project.bindings.get(rel, {}), bound, table.path_texts
        )
        doc.diagnostics.extend(diags)
        if f.parse_error:
            doc.diagnostics.append(
                bibparse.Diagnostic("parse-failure", rel, 1, 1, f"{rel}: {f.parse_error}")
            )
    for rel in project.order:
        f = facts[rel]
        # a file TeX reads twice defines its labels twice (LaTeX: "multiply defined")
        for _ in range(project.reads.get(rel, 1) - 1):
            doc.labels += f.labels
            doc.floats += f.floats
        doc.labels += f.labels
        doc.refs += f.refs
        doc.cites += f.cites
        doc.graphics += f.graphics
        doc.floats += f.floats
        doc.bibitems += f.bibitems
        doc.packages += f.packages
        doc.toc_titles += f.toc_titles
        doc.caption_words += f.caption_words
        owner = doc.owners.get(rel)
        for p in f.placeholders:
            p.owner = p.owner or owner
        doc.placeholders += f.placeholders
        if any(e.kind == "bibliography" for e in f.events):
            doc.has_bibliography_command = True
    for rel in project.order:
        doc.labels += _code_file_labels(project, facts[rel].code_inputs)
    # the root may \input a header that holds \documentclass
    doc.document_class = next(
        (dc for rel in project.order if (dc := inc.document_class(texts[rel]))), None
    )
    for rel, src in project.excluded_files.items():
        # chapters left out by \includeonly: their labels and citations live on in LaTeX's .aux
        if src.problem:
            continue
        ex = latex.parse_file(rel, src.masked, src.line_col, table, [], latex.context_db(table))
        doc.labels += ex.labels
        doc.cites += ex.cites
    build_sections(
        doc,
        _flow(project, facts, project.main, [project.main]),
        {rel: f.floats for rel, f in facts.items()},
    )
    _warn_if_unread(doc, texts)
    doc.biber = doc.runs_biber()
    for rel in project.bib_files:
        try:
            data = (project.folder / rel).read_bytes()
        except OSError as exc:
            doc.diagnostics.append(
                bibparse.Diagnostic(
                    "unreadable-file", rel, 1, 1, _unread_why(project.folder, rel, exc)
                )
            )
            continue
        k = cachemod.key("bib", rel, data, "biber" if doc.biber else "bibtex")
        # the cache holds plain columns: unpickling 100k entry objects would take seconds
        hit = cache.get(k)
        bf = bibparse.BibFile.from_compact(hit) if isinstance(hit, tuple) else None
        if bf is None:
            bf = bibparse.parse_bib(rel, data, biber=doc.biber)
            del data
            cache.put(k, bf.to_compact())
        doc.bib_entries += bf.entries
        doc.diagnostics += bf.diagnostics
    _want_tex_files(doc)
    return doc


def _want_tex_files(doc: Document) -> None:
    """The .bst that bibliography rules will look up in TeX's tree is asked for in the same
    kpsewhich run as the text font's metrics (page estimate): one run instead of two."""
    from papertrack.parse.bibstyle import bst_to_locate
    from papertrack.project.texdist import want

    bst = bst_to_locate(doc)
    if bst:
        want([bst])


def _unread_why(folder: Path, rel: str, exc: OSError) -> str:
    """Why a .bib file cannot be read; a dangling link names where it points (a bib symlinked
    from another machine's folder said only 'No such file or directory')."""
    path = folder / rel
    if path.is_symlink() and not path.exists():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"{rel} is a link to {target}, which does not exist here"
    return f"{rel}: {exc.strerror or exc}"
