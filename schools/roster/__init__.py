"""The district's roster in OneRoster CSV files: read (parse), compared with the portal (plan), carried out
(apply), and the import's record for the page that checks a file first and applies it after (runs)."""
