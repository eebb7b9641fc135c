"""Photos for the demo: a team under a red banner in front of its workplace — sky, a building, a
transmission line or a drilling rig, people in their work clothes and hats — with the camera's
softness, grain, dark corners and orange date stamp. About 30 KB and a few hundredths of a second.
Without the Noto CJK fonts the banner and the stamp go without words.
"""

import io
import random
from dataclasses import dataclass
from datetime import date
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

from .scans import font

PHOTO_PX = (720, 480)
SKIN = [(236, 198, 166), (226, 184, 150), (216, 172, 138), (240, 206, 178), (222, 178, 142)]
HAIR = [(30, 26, 24), (44, 36, 32), (24, 22, 22), (60, 48, 40)]


@dataclass
class Scene:
    """What a team photo shows: the place behind, the work clothes, and the banner's words."""

    banner: str
    backdrop: str = "factory"  # factory, building, hospital, tower or rig
    clothes: tuple[int, int, int] = (40, 80, 150)
    trousers: tuple[int, int, int] | None = None  # as the clothes if not given
    hats: tuple[int, int, int] | None = (245, 200, 30)  # hard hats or nurses' caps; None bareheaded
    vest: tuple[int, int, int] | None = None  # a high-visibility vest over the clothes
    taken_on: date | None = None  # the camera's date stamp
    people: int = 11


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    return ImageOps.colorize(Image.linear_gradient("L").resize(size), top, bottom)


def _building(draw: ImageDraw.ImageDraw, scene: Scene, horizon: int, rng: random.Random) -> None:
    w = PHOTO_PX[0]
    wall = {"factory": (178, 174, 166), "building": (208, 198, 182), "hospital": (234, 234, 230)}[scene.backdrop]
    top = 120 if scene.backdrop == "factory" else 64
    draw.rectangle((24, top, w - 24, horizon), fill=wall)
    if scene.backdrop == "factory":
        bay = (w - 48) / 6
        for k in range(6):  # a saw-tooth roof and a chimney
            x = 24 + k * bay
            draw.polygon([(x, top), (x + bay, top), (x + bay, top - 34)], fill=(150, 146, 140))
        draw.rectangle((w - 126, 18, w - 100, top), fill=(162, 152, 142))
        draw.rectangle((w - 126, 34, w - 100, 42), fill=(192, 62, 52))
    for y in range(top + 22, horizon - 36, 42):
        for x in range(50, w - 60, 50):
            draw.rectangle((x, y, x + 30, y + 24), fill=(98, 130, 152) if rng.random() > 0.2 else (74, 94, 112))
    if scene.backdrop == "hospital":
        middle = w // 2
        draw.rectangle((middle - 24, top + 6, middle + 24, top + 54), fill=(255, 255, 255))
        draw.rectangle((middle - 7, top + 12, middle + 7, top + 48), fill=(222, 32, 42))
        draw.rectangle((middle - 18, top + 23, middle + 18, top + 37), fill=(222, 32, 42))


def _lattice(draw: ImageDraw.ImageDraw, base: int, ground: int, height: int, colour, half: int = 40) -> None:
    top = ground - height
    draw.line([(base - half, ground), (base, top), (base + half, ground)], fill=colour, width=4)
    for k in range(1, 7):
        y = top + k * height / 7
        spread = half * k / 7
        draw.line([(base - spread, y), (base + spread, y)], fill=colour, width=2)
        if k > 1:
            previous = half * (k - 1) / 7
            draw.line([(base - previous, y - height / 7), (base + spread, y)], fill=colour, width=1)


def _backdrop(draw: ImageDraw.ImageDraw, scene: Scene, horizon: int, rng: random.Random) -> None:
    w = PHOTO_PX[0]
    if scene.backdrop in ("factory", "building", "hospital"):
        _building(draw, scene, horizon, rng)
    elif scene.backdrop == "tower":  # transmission line over hills
        draw.polygon(
            [(0, horizon), (170, horizon - 74), (430, horizon - 28), (w, horizon - 86), (w, horizon)],
            fill=(112, 146, 112),
        )
        for base, height in ((130, 250), (590, 210)):
            _lattice(draw, base, horizon, height, (88, 94, 102))
            draw.line(
                [(base - 56, horizon - height + 30), (base + 56, horizon - height + 30)], fill=(88, 94, 102), width=3
            )
        for sag in (0, 14, 28):
            draw.line(
                [(0, 96 + sag), (74, horizon - 220 + sag), (534, horizon - 180 + sag), (w, 120 + sag)],
                fill=(70, 70, 70),
                width=1,
            )
    elif scene.backdrop == "rig":  # a drilling rig on bare hills
        draw.polygon(
            [(0, horizon), (210, horizon - 96), (470, horizon - 40), (w, horizon - 104), (w, horizon)],
            fill=(160, 146, 112),
        )
        _lattice(draw, w * 2 // 3, horizon, 270, (204, 64, 44), half=50)
        draw.rectangle((w * 2 // 3 - 110, horizon - 46, w * 2 // 3 - 46, horizon), fill=(64, 108, 160))
    # Paving in front, drawn in perspective.
    for k in range(1, 6):
        y = horizon + k * k * 7
        draw.line([(0, y), (w, y)], fill=(126, 124, 120), width=1)


def _person(draw: ImageDraw.ImageDraw, x: int, feet: int, height: int, scene: Scene, rng: random.Random) -> None:
    head = height / 7.5
    crown = feet - height
    shoulders = crown + head * 1.15
    hips = crown + height * 0.53
    half = head * 1.15

    def vary(colour):
        return tuple(max(0, min(255, c + rng.randint(-12, 12))) for c in colour)

    clothes = vary(scene.clothes)
    trousers = vary(scene.trousers or tuple(int(c * 0.8) for c in scene.clothes))
    sleeves = tuple(int(c * 0.85) for c in clothes)
    for side in (-1, 1):  # legs, then arms hanging beside the body
        inner, outer = sorted((x + side * 3, x + side * half * 0.85))
        draw.rectangle((inner, hips - 4, outer, feet - 6), fill=trousers)
        draw.ellipse((x + side * half * 0.5 - 9, feet - 10, x + side * half * 0.5 + 9, feet), fill=(36, 34, 34))
        inner, outer = sorted((x + side * half, x + side * (half + head * 0.42)))
        draw.rounded_rectangle((inner, shoulders + 4, outer, hips + head * 0.3), radius=5, fill=sleeves)
    draw.rounded_rectangle((x - half, shoulders, x + half, hips + 6), radius=int(head * 0.45), fill=clothes)
    if scene.vest:
        draw.rectangle((x - half + 4, shoulders + 6, x + half - 4, hips), fill=scene.vest)
        draw.rectangle((x - half + 4, hips - head * 0.7, x + half - 4, hips - head * 0.55), fill=(226, 226, 220))
    skin = rng.choice(SKIN)
    draw.polygon([(x - head * 0.3, shoulders), (x + head * 0.3, shoulders), (x, shoulders + head * 0.45)], fill=skin)
    draw.line([(x, shoulders + head * 0.45), (x, hips - 6)], fill=tuple(int(c * 0.7) for c in clothes), width=1)
    centre = crown + head * 0.5
    draw.ellipse(
        (x - head * 0.5 - 2, centre - head * 0.55 - 2, x + head * 0.5 + 2, centre + head * 0.3), fill=rng.choice(HAIR)
    )
    draw.ellipse((x - head * 0.45, centre - head * 0.42, x + head * 0.45, centre + head * 0.55), fill=skin)
    for side in (-1, 1):
        eye = (x + side * head * 0.18, centre + head * 0.08)
        draw.ellipse((eye[0] - 1.2, eye[1] - 1, eye[0] + 1.2, eye[1] + 1), fill=(40, 30, 28))
    if scene.hats:
        draw.chord(
            (x - head * 0.58, centre - head * 0.78, x + head * 0.58, centre + head * 0.15), 180, 360, fill=scene.hats
        )
        draw.line(
            [(x - head * 0.66, centre - head * 0.2), (x + head * 0.66, centre - head * 0.2)], fill=scene.hats, width=3
        )


@cache
def _camera_texture() -> tuple[Image.Image, Image.Image]:
    """Grain and the darkening towards the corners, made once."""
    grain = Image.effect_noise(PHOTO_PX, 24).convert("RGB")
    corners = Image.radial_gradient("L").resize(PHOTO_PX).point(lambda v: 255 - v // 4)
    return grain, Image.merge("RGB", [corners] * 3)


def photo_jpeg(scene: Scene) -> bytes:
    rng = random.Random(scene.banner + str(scene.taken_on))
    w, h = PHOTO_PX
    horizon = int(h * 0.62)
    image = Image.new("RGB", PHOTO_PX)
    image.paste(_gradient((w, horizon), (98, 150, 212), (208, 226, 240)), (0, 0))
    image.paste(_gradient((w, h - horizon), (156, 154, 148), (108, 106, 100)), (0, horizon))
    draw = ImageDraw.Draw(image)
    for _cloud in range(3):
        cx, cy = rng.randint(40, w - 40), rng.randint(14, 70)
        for dx in (-34, 0, 30):
            draw.ellipse((cx + dx - 34, cy - 14, cx + dx + 34, cy + 16), fill=(236, 242, 248))
    _backdrop(draw, scene, horizon, rng)
    # The red banner the team stands under, its words in yellow.
    top = horizon - 158
    draw.rectangle((66, top, w - 66, top + 42), fill=(198, 24, 30))
    face = font("sans", 24)
    if face is not None and scene.banner:
        size = min(24, int(24 * (w - 170) / face.getlength(scene.banner)))
        draw.text((w // 2, top + 21), scene.banner, font=font("sans", size), fill=(255, 228, 84), anchor="mm")
    # Two rows of people, the back row standing on a step.
    back = (scene.people + 1) // 2
    for count, feet, height in ((back, horizon + 92, 180), (scene.people - back, h - 22, 200)):
        spacing = (w - 150) / max(count, 1)
        for k in range(count):
            x = int(75 + spacing * (k + 0.5)) + rng.randint(-5, 5)
            _person(draw, x, feet + rng.randint(-4, 4), height + rng.randint(-14, 8), scene, rng)
    # The camera: a little soft, some grain, darker corners, and the date stamp in orange.
    grain, corners = _camera_texture()
    image = Image.blend(image.filter(ImageFilter.SMOOTH), grain, 0.05)
    image = ImageChops.multiply(image, corners)
    stamp = font("sans", 20)
    if scene.taken_on is not None and stamp is not None:
        label = scene.taken_on.strftime("%Y %m %d")
        ImageDraw.Draw(image).text((w - 22, h - 16), label, font=stamp, fill=(255, 152, 44), anchor="rb")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=72)
    return out.getvalue()
