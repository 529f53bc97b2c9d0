"""PT203: the same work under two keys, and two publications that share a title (minimal
papers written here)."""

from __future__ import annotations

from helpers import check_static as check

PAPER = r"""%! main.tex
\documentclass{article}
\begin{document}
Parts~\cite{lee2011conf,lee2013journal}; streams~\cite{kim2020arxiv,kim2021icml};
files~\cite{fs2015,fs2015b}.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
%! refs.bib
@inproceedings{lee2011conf,
  title = {Locating Parts of Faces with Exemplars}, author = {Lee, A.},
  booktitle = {Computer Vision and Pattern Recognition}, year = {2011}}
@article{lee2013journal,
  title = {Locating parts of faces with exemplars}, author = {Lee, A.},
  journal = {Transactions on Pattern Analysis}, year = {2013}}
@article{kim2020arxiv,
  title = {Streaming Transducers at Scale}, author = {Kim, B.},
  journal = {arXiv preprint arXiv:2001.00001}, year = {2020}}
@inproceedings{kim2021icml,
  title = {Streaming Transducers at Scale}, author = {Kim, B.},
  booktitle = {International Conference on Machine Learning}, year = {2021}}
@inproceedings{fs2015,
  title = {{F2FS}: A New File System for Flash Storage}, author = {Lee, C.},
  booktitle = {File and Storage Technologies}, year = {2015}}
@inproceedings{fs2015b,
  title = {{F2FS:} {A} New File System for Flash Storage}, author = {Lee, C.},
  booktitle = {Proceedings of File and Storage Technologies}, year = {2015}}
"""


def test_a_conference_paper_and_its_journal_version_are_two_publications(make_project):
    r = check(make_project(PAPER))
    found = sorted(f.message.split("'")[1] for f in r.findings if f.code == "PT203")
    # the preprint and its conference version, and one paper entered twice, are duplicates
    assert found == ["fs2015b", "kim2021icml"]


WEB = r"""%! main.tex
\documentclass{article}
\begin{document}
Movement~\cite{lm1,lm2}; saving~\cite{bs1,bs2}; models~\cite{tm2020,tm2021}.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
%! refs.bib
@misc{lm1, author = {{First Company}}, title = {What is Lateral Movement},
  url = {https://first.example/lateral-movement}, year = {2023}}
@misc{lm2, author = {{Second Vendor}}, title = {What is Lateral Movement},
  url = {https://second.example/lateral}, year = {2023}}
@misc{bs1, author = {Apple}, title = {Use Low Power Mode to Save Battery},
  url = {https://support.example/low-power}}
@misc{bs2, author = {Google}, title = {Use Low Power Mode to Save Battery},
  url = {https://support.example/low-power}}
@article{tm2020, author = {Kim, Byung and Lee, Ann}, title = {Tiny Models Learn Slowly},
  journal = {arXiv preprint arXiv:2001.00002}, year = {2020}}
@inproceedings{tm2021, author = {B. Kim and A. Lee}, title = {Tiny models learn slowly},
  booktitle = {Learning Representations}, year = {2021}}
"""


def test_two_works_by_other_authors_share_a_generic_title(make_project):
    r = check(make_project(WEB))
    found = sorted(f.message.split("'")[1] for f in r.findings if f.code == "PT203")
    # two companies' pages are two works; one page entered twice (one address) and a preprint
    # with its published version (the same authors, written otherwise) are one work
    assert found == ["bs2", "tm2021"]
