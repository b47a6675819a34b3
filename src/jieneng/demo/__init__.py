"""Demo data: a reproducible generator of registries, facts and monthly records (see generator)."""
