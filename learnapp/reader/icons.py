"""Draws the installable app's PNG icons from the design of static/icon.svg (a red rounded square with 欢 in
white): `python -m learnapp.reader.icons` writes static/icon-192.png, icon-512.png and the maskable
icon-maskable-512.png (full bleed, the character inside the safe zone). The PNGs are committed; run this
again only when the design changes. Needs Debian's Noto Sans CJK (`make fonts`)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RED = (229, 72, 77, 255)  # #e5484d, the icon's and the theme's colour
WHITE = (255, 255, 255, 255)
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
STATIC = Path(__file__).resolve().parents[2] / "static"


def _font(size: int) -> ImageFont.FreeTypeFont:
    for index in range(10):
        font = ImageFont.truetype(str(FONT), size, index=index)
        if font.getname()[0] == "Noto Sans CJK SC":
            return font
    raise SystemExit("Noto Sans CJK SC not found: run `make fonts`")


def draw(size: int, maskable: bool = False) -> Image.Image:
    scale = 4  # drawn large, then scaled down: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=RED)
        glyph = round(big * 36 / 64 * 0.8)  # inside the maskable safe zone (the middle 80%)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(big * 14 / 64), fill=RED)
        glyph = round(big * 36 / 64)
    pen.text((big / 2, big / 2), "欢", font=_font(glyph), fill=WHITE, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    draw(192).save(STATIC / "icon-192.png", optimize=True)
    draw(512).save(STATIC / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(STATIC / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
