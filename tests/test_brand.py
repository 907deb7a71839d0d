"""The integration's brand images, and Home Assistant serving them.

Home Assistant 2026.3 and later serve a custom integration's icon and logo
from its `brand` folder (homeassistant/components/brands): the eight names
below, no others. They follow the home-assistant/brands rules: PNG with an
alpha channel, icons 256x256 (512x512 at 2x), logos landscape with their
shortest side 128 (256 at 2x). scripts/render_brand.mjs renders them from
docs/brand/*.svg.
"""

from __future__ import annotations

from http import HTTPStatus
import importlib.util
from pathlib import Path
import struct
import zlib

from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_custom_components
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

import custom_components.gsm_gateway as integration_package
from custom_components.gsm_gateway.const import DOMAIN

BRAND_DIR = Path(integration_package.__file__).parent / "brand"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLOUR_TYPE_RGBA = 6

# The icon's side and the logo's shortest side (its height), in pixels.
ICONS = {
    "icon.png": 256,
    "icon@2x.png": 512,
    "dark_icon.png": 256,
    "dark_icon@2x.png": 512,
}
LOGOS = {
    "logo.png": 128,
    "logo@2x.png": 256,
    "dark_logo.png": 128,
    "dark_logo@2x.png": 256,
}
IMAGES = {**ICONS, **LOGOS}


def png_header(path: Path) -> tuple[int, int, int, int]:
    """Width, height, bit depth and colour type of a PNG, from its IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    # The first chunk: length, type, 13 bytes of data, CRC of type and data.
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR", f"{path.name}: the first chunk is {kind!r}"
    assert length == 13
    body = data[16:29]
    (crc,) = struct.unpack(">I", data[29:33])
    assert zlib.crc32(kind + body) == crc, f"{path.name}: IHDR CRC mismatch"
    width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
    return width, height, depth, colour_type


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_brand_image(name: str) -> None:
    """Each image is there, a PNG with an alpha channel, of its size."""
    path = BRAND_DIR / name
    assert path.is_file(), f"missing {path}"
    width, height, depth, colour_type = png_header(path)
    assert colour_type == COLOUR_TYPE_RGBA, f"{name}: colour type {colour_type}"
    assert depth == 8
    if name in ICONS:
        assert (width, height) == (ICONS[name], ICONS[name])
    else:
        # Landscape: the height is the shortest side.
        assert height == LOGOS[name]
        assert width >= height


@pytest.mark.parametrize("name", ["logo.png", "dark_logo.png"])
def test_logo_hdpi_is_twice_the_size(name: str) -> None:
    """The 2x logo is the 1x one at twice the size, not another shape."""
    width, height, _, _ = png_header(BRAND_DIR / name)
    hdpi = png_header(BRAND_DIR / name.replace(".png", "@2x.png"))
    assert hdpi[:2] == (2 * width, 2 * height)


def test_only_the_images_home_assistant_serves() -> None:
    """The folder holds the eight images and nothing else."""
    assert {p.name for p in BRAND_DIR.iterdir()} == set(IMAGES)


@pytest.mark.parametrize("name", [n for n in sorted(IMAGES) if n.startswith("dark_")])
def test_dark_variant_is_its_own(name: str) -> None:
    """A dark variant differs from the light one (the brands rules refuse a copy)."""
    light = BRAND_DIR / name.removeprefix("dark_")
    assert (BRAND_DIR / name).read_bytes() != light.read_bytes()


async def test_served_by_home_assistant(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """Home Assistant serves each image from the integration's folder."""
    if importlib.util.find_spec("homeassistant.components.brands") is None:
        pytest.skip("Home Assistant serves custom brand images from 2026.3 on")

    integration = (await async_get_custom_components(hass))[DOMAIN]
    assert integration.has_branding
    assert await async_setup_component(hass, "brands", {})
    client = await hass_client()
    for name in sorted(IMAGES):
        response = await client.get(f"/api/brands/integration/{DOMAIN}/{name}")
        assert response.status == HTTPStatus.OK, name
        assert response.content_type == "image/png"
        assert await response.read() == (BRAND_DIR / name).read_bytes(), name
