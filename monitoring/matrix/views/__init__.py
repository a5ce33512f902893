"""The public pages of the matrix area: grid.py (the matrix and the tracking table, their cells
written as markup in one pass) and dashboards.py (the regional and country dashboards)."""
