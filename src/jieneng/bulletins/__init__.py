"""Bulletins and documents (通报, 公报, 汇报) from the other domains' data: .docx, .pdf and .xlsx."""
