"""Demonstration figures, invented to try the portal: only in demo mode (DEBUG or CORETT_DEMO=1),
written and removed by `manage.py demo`, every row marked `is_demo`."""
