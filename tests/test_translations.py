"""Translations: the English copy, every language's keys and placeholders, loading."""

from __future__ import annotations

import json
from pathlib import Path
import string
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
import pytest

from custom_components.gsm_gateway.const import DOMAIN

INTEGRATION = Path(__file__).parent.parent / "custom_components" / DOMAIN
STRINGS = INTEGRATION / "strings.json"
TRANSLATIONS = INTEGRATION / "translations"

# Every language the integration ships besides English, by Home Assistant's
# file names (language tag, with script or region where it matters).
LANGUAGES = ("de", "es", "fr", "it", "pl", "ru", "uk", "zh-Hans", "pt-BR")

# The translation files present now, English aside: each one is checked.
PRESENT = sorted(path.stem for path in TRANSLATIONS.glob("*.json") if path.stem != "en")


def load(path: Path) -> dict[str, Any]:
    """A JSON object from a file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a JSON object"
    return data


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Leaf values by dotted key path; an empty object counts as a leaf."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders of a text, parsed as Home Assistant does."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def english() -> dict[str, Any]:
    """strings.json, flattened."""
    return flatten(load(STRINGS))


def language(code: str) -> dict[str, Any]:
    """A language's translation file, flattened."""
    return flatten(load(TRANSLATIONS / f"{code}.json"))


def test_english_is_strings() -> None:
    """translations/en.json is strings.json, unchanged."""
    assert load(TRANSLATIONS / "en.json") == load(STRINGS)


@pytest.mark.parametrize("code", LANGUAGES)
def test_language_file_exists(code: str) -> None:
    """Each expected language has its file."""
    assert (TRANSLATIONS / f"{code}.json").is_file(), f"translations/{code}.json"


def test_no_unexpected_language() -> None:
    """No file for a language nobody expects (a misspelled tag, say)."""
    assert set(PRESENT) <= set(LANGUAGES), sorted(set(PRESENT) - set(LANGUAGES))


@pytest.mark.parametrize("code", PRESENT)
def test_same_keys_as_english(code: str) -> None:
    """A language has exactly the key paths of strings.json."""
    source, translated = english(), language(code)
    missing = sorted(source.keys() - translated.keys())
    stale = sorted(translated.keys() - source.keys())
    report = [f"missing: {path}" for path in missing]
    report += [f"stale: {path}" for path in stale]
    assert not report, f"{code}.json:\n" + "\n".join(report)


@pytest.mark.parametrize("code", [*PRESENT, "en"])
def test_values_are_text(code: str) -> None:
    """Every value is a non-empty string."""
    bad = sorted(
        path
        for path, value in language(code).items()
        if not isinstance(value, str) or not value.strip()
    )
    assert not bad, f"{code}.json: empty or not a string: " + ", ".join(bad)


@pytest.mark.parametrize("code", PRESENT)
def test_same_placeholders_as_english(code: str) -> None:
    """A translation keeps every placeholder of the English and adds none."""
    source, translated = english(), language(code)
    report = []
    for path, text in source.items():
        value = translated.get(path)
        if not isinstance(text, str) or not isinstance(value, str):
            continue
        try:
            found = placeholders(value)
        except ValueError as err:
            report.append(f"{path}: unparsable braces ({err})")
            continue
        expected = placeholders(text)
        if lost := expected - found:
            report.append(f"{path}: missing {sorted(lost)}")
        if extra := found - expected:
            report.append(f"{path}: unknown {sorted(extra)}")
    assert not report, f"{code}.json:\n" + "\n".join(report)


@pytest.mark.parametrize("category", ["entity", "config"])
async def test_home_assistant_loads_german(hass: HomeAssistant, category: str) -> None:
    """Home Assistant serves the German texts, not the English fallback."""
    hass.config.language = "de"
    german = flatten(load(TRANSLATIONS / "de.json")[category])
    source = flatten(load(STRINGS)[category])
    prefix = f"component.{DOMAIN}.{category}."

    loaded = await async_get_translations(hass, "de", category, [DOMAIN])

    served = {
        key.removeprefix(prefix): value
        for key, value in loaded.items()
        if key.startswith(prefix)
    }
    assert served, f"no {category} translations loaded for {DOMAIN}"
    # One German text is enough to know the file was read...
    sample = "sensor.signal.name" if category == "entity" else "step.user.title"
    assert served[sample] == german[sample] != source[sample]
    # ...and each text Home Assistant accepted (placeholders and all) is served.
    differing = sorted(
        path for path, text in german.items() if served.get(path) != text
    )
    assert not differing, "served in English or not at all: " + ", ".join(differing)
