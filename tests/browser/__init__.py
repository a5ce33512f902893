"""Journeys in a real browser (Playwright and Debian's Chromium)."""
