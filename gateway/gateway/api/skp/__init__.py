"""GraphQL types, queries and mutations of SKP planning: periode, perjanjian kinerja, SKP, matriks peran hasil, kinerja harian."""
