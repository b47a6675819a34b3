"""Assessment (节能目标责任评价考核): rounds, self-checks, verification, veto, grades and their
consequences."""
