"""Loading a LaTeX project: files, root, include graph."""
