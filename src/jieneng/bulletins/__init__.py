"""Bulletins and documents (通报, 公报, 汇报): composed from the other domains' services and written
as .docx, .pdf and .xlsx in the layout of GB/T 9704-2012."""
