"""Site: everything the engine's hooks call that does not need the engine.

`catalogue.catalogue_for(docs_dir)` scans and checks every material once (cached in
`.cache/catalogue/`) and renders the findings panel and listings; `export` writes the Word
downloads, `similar` runs copy detection over the site, `pagecache` keeps rendered pages of
unchanged materials, `search_index` writes the exact-substring search index. May import every
core package below it; never the site engine (mkdocs/properdocs) — that is `hooks/`.
"""
