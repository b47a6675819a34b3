"""统计报送: the monthly energy and water records of each organisation, and the frames the indicators read."""
