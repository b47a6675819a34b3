"""Bulletins and documents (通报, 公报, 汇报): composed from the other domains' services, written as .docx/.pdf/.xlsx."""
