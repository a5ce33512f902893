"""What the apps' translation.py modules share."""

from modeltranslation.translator import TranslationOptions


def fields(*names):
    """Translation options for these fields: each gets a column per language (name_es, name_en)."""
    return type("Options", (TranslationOptions,), {"fields": names})
