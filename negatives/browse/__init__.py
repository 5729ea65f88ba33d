"""``negatives browse``: a distractor set, and probe runs and an audit of it, as a static site that
opens from ``file://`` with no server and no network.

The site is one folder: ``index.html`` (the overview: counts per engine and level, the sweep
figures, the audit verdicts, the set's manifest), ``items.html`` (the items, paginated and filtered
in the page), ``assets/`` (one script, one style sheet), ``data/`` (the overview, a compact filter
index and one data script per page of items, each loaded with ``<script src>`` since browsers refuse
``fetch`` on file://), ``thumbs/`` (image thumbnails), ``figures/`` and ``manifest.json``. Data only
ever reaches the page as JSON inside those scripts and is put in the DOM as text. The folder is
staged and committed whole (:mod:`negatives.outputs`).
"""

from negatives.browse.site import DEFAULT_PER_PAGE, browse

__all__ = ["DEFAULT_PER_PAGE", "browse"]
