"""名录库: the region tree (GB/T 2260) and the registry of reporting organisations with their yearly facts."""
