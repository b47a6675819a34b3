"""概览: the overview page of a region's public-institution energy and water use."""
