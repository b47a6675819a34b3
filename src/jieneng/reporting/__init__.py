"""统计报送: statistics forms filled online or uploaded, their checks, revisions and review; an approval
writes the values into the statistics store (:mod:`jieneng.statistics`)."""
