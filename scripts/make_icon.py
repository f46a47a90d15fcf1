"""Regenerate assets/icons/deepmine.{png,ico,svg}: a handwritten-looking 7 beside a small tree.

Run once when the design changes; the outputs are committed (PyInstaller and the .desktop
file need real files).
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "assets" / "icons"


def draw(size: int = 256) -> Image.Image:
    s = size / 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=48 * s, fill=(26, 115, 232, 255))
    # the digit: a 7 in white, round-capped like the canvas pen
    w = int(22 * s)
    pts = [(46 * s, 64 * s), (120 * s, 64 * s), (82 * s, 196 * s)]
    d.line(pts, fill="white", width=w, joint="curve")
    for x, y in pts:
        d.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill="white")
    # the tree: root, two branches, four leaves
    green = (255, 214, 102, 255)
    nodes = {"r": (182, 70), "a": (152, 130), "b": (212, 130), "c": (140, 190), "d": (166, 190),
             "e": (198, 190), "f": (226, 190)}
    for p, q in (("r", "a"), ("r", "b"), ("a", "c"), ("a", "d"), ("b", "e"), ("b", "f")):
        d.line([tuple(v * s for v in nodes[p]), tuple(v * s for v in nodes[q])], fill=green, width=int(7 * s))
    for x, y in nodes.values():
        r = 12 * s
        d.ellipse((x * s - r, y * s - r, x * s + r, y * s + r), fill=green)
    return img


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(256)
    big.save(OUT / "deepmine.png")
    big.save(OUT / "deepmine.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    draw(64).save(OUT / "deepmine-64.png")
    print("wrote", OUT)
