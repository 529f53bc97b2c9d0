"""The build line reads 'pdflatex (the default: ...)', not 'pdflatex (default (...))'."""

from __future__ import annotations

from papertrack.pages.engine import choose_engine


def test_default_engine_reason_has_no_nested_parentheses(tmp_path):
    main = "\\documentclass{article}\n\\begin{document}\nText.\n\\end{document}\n"
    (tmp_path / "main.tex").write_text(main)
    engine, reason = choose_engine(main, tmp_path)
    assert engine == "pdflatex"
    assert "(" not in reason and reason.startswith("the default"), reason
