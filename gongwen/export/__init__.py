"""Export: the numbered model out of the project.

`docx.write_docx(material, schema, path)` writes GB/T 9704 Word (`layout` breaks titles between
words); `redline` compares two versions word by word for the 修订对照 pages. Numbered text and
Markdown come from `numbering.to_text` / `numbering.to_markdown`. May import the floor, `read`,
`schema` and `numbering`.
"""
