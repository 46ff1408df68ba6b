"""Office documents in: a breakdown table (xlsx, docx) read into a draft plan, and a new
year's plan made from an old one. The parsers are pure; the readers of the files are thin and
imported only by `planctl import`."""
