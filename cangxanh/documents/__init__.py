"""Legal and administrative documents: their numbers, attached files and the files' text.

`validation` decides which uploaded files are accepted (PDF, DOCX, XLSX, judged
by their bytes), `numbers` turns a document number such as 62/2025/QĐ-UBND into
the tokens it is searched by, and `extract` reads a PDF's text in a child
process with limits, for the search index.
"""
