"""Settings package: ``base`` holds everything, the other modules only override it."""
