"""Draw the bundled decks' pictures (decks/images/*.png) with Pillow: run it after a change.

    python docs/draw_pictures.py

Every picture is drawn here from numbers written here (nothing is copied from elsewhere), in
strong colours and thick lines so that it reads even as coloured half-blocks in a terminal.
The facts each one shows are cited by the cards that use it.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[1] / "decks" / "images"
WIDTH, HEIGHT = 480, 260
INK = (30, 30, 30)
GREY = (150, 150, 150)
BLUE = (40, 90, 200)
ORANGE = (235, 120, 0)
RED = (200, 30, 30)
WHITE = (255, 255, 255)


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def dashed(
    draw: ImageDraw.ImageDraw, y: float, left: int, right: int, colour: tuple[int, int, int]
) -> None:
    for x in range(left, right, 16):
        draw.line([(x, y), (min(x + 9, right), y)], fill=colour, width=3)


def plot(
    values: Sequence[float], low: float, high: float
) -> tuple[Image.Image, ImageDraw.ImageDraw, list[tuple[float, float]]]:
    """A blank chart with axes; the place of each value."""
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 40, WIDTH - 20, 20, HEIGHT - 40
    draw.line([(left, top), (left, bottom), (right, bottom)], fill=INK, width=3)
    step = (right - left - 20) / (len(values) - 1)
    points = [
        (left + 10 + i * step, bottom - (v - low) / (high - low) * (bottom - top))
        for i, v in enumerate(values)
    ]
    return image, draw, points


def y_of(value: float, low: float, high: float) -> float:
    return HEIGHT - 40 - (value - low) / (high - low) * (HEIGHT - 60)


def run_chart() -> None:
    """Weekly % of patients with a completed falls risk assessment: 12 weeks around a median,
    then a change, after which the last 7 points all sit above that median (a shift)."""
    baseline = [62, 68, 59, 66, 71, 60, 64, 69, 58, 65, 70, 63]
    after = [72, 75, 70, 77, 74, 79, 76]
    values = baseline + after
    median = statistics.median(baseline)
    assert all(v > median for v in after) and len(after) >= 6  # the shift shown
    low, high = 50, 85
    image, draw, points = plot(values, low, high)
    dashed(draw, y_of(median, low, high), 40, WIDTH - 20, GREY)
    draw.text((WIDTH - 90, y_of(median, low, high) + 4), "median", fill=GREY, font=font(14))
    draw.line(points, fill=BLUE, width=3)
    for index, (x, y) in enumerate(points):
        colour = ORANGE if index >= len(baseline) else BLUE
        draw.ellipse([x - 6, y - 6, x + 6, y + 6], fill=colour)
    draw.text((44, HEIGHT - 32), "weeks", fill=INK, font=font(14))
    draw.text((44, 2), "% with a falls risk assessment", fill=INK, font=font(14))
    image.save(OUT / "run-chart-shift.png", optimize=True)


def spc_chart() -> None:
    """An XmR (individuals) chart: mean, process limits at 3 sigma (sigma from the mean moving
    range / 1.128) and one point above the upper limit."""
    values = [
        21,
        25,
        19,
        23,
        26,
        20,
        24,
        22,
        18,
        25,
        21,
        23,
        20,
        24,
        43,
        22,
        19,
        24,
        21,
        25,
        20,
        23,
    ]
    outlier = values.index(43)
    usual = values[:outlier] + values[outlier + 1 :]
    mean = statistics.mean(usual)
    ranges = [abs(a - b) for a, b in zip(usual, usual[1:], strict=False)]
    sigma = statistics.mean(ranges) / 1.128
    upper, lower = mean + 3 * sigma, mean - 3 * sigma
    assert all(lower < v < upper for v in usual) and values[outlier] > upper
    low, high = 5, 48
    image, draw, points = plot(values, low, high)
    for limit in (upper, lower):
        dashed(draw, y_of(limit, low, high), 40, WIDTH - 20, RED)
    draw.line([(40, y_of(mean, low, high)), (WIDTH - 20, y_of(mean, low, high))], fill=INK, width=2)
    draw.line(points, fill=BLUE, width=3)
    for index, (x, y) in enumerate(points):
        colour = ORANGE if index == outlier else BLUE
        size = 9 if index == outlier else 6
        draw.ellipse([x - size, y - size, x + size, y + size], fill=colour)
    draw.text(
        (WIDTH - 150, y_of(upper, low, high) - 18), "upper process limit", fill=RED, font=font(13)
    )
    draw.text(
        (WIDTH - 150, y_of(lower, low, high) + 4), "lower process limit", fill=RED, font=font(13)
    )
    draw.text((44, 2), "falls per month on a ward", fill=INK, font=font(14))
    draw.text((44, HEIGHT - 32), "months", fill=INK, font=font(14))
    image.save(OUT / "spc-chart.png", optimize=True)


def news2_bands() -> None:
    """NEWS2 aggregate scores 0-20 in the bands of RCP Chart 4: 0, 1-4, 5-6, 7 or more."""
    image = Image.new("RGB", (WIDTH, 230), WHITE)
    draw = ImageDraw.Draw(image)
    left, top, cell, tall = 20, 40, (WIDTH - 40) / 21, 50
    bands = [(0, 0, (120, 190, 90)), (1, 4, (245, 215, 60)), (5, 6, ORANGE), (7, 20, RED)]
    for first, last, colour in bands:
        x0, x1 = left + first * cell, left + (last + 1) * cell
        draw.rectangle([x0, top, x1, top + tall], fill=colour, outline=WHITE, width=2)
        label = str(first) if first == last else (f"{first}+" if last == 20 else f"{first}-{last}")
        draw.text((x0 + 4, top - 24), label, fill=INK, font=font(16))
    for score in range(21):
        x = left + score * cell + cell / 2
        draw.text((x - 5, top + tall + 6), str(score), fill=INK, font=font(11))
    words = ["0: routine monitoring", "1-4: a registered nurse assesses", "5-6: urgent response",
             "7 or more: emergency response"]  # fmt: skip
    for row, ((_, _, colour), word) in enumerate(zip(bands, words, strict=True)):
        y = top + tall + 32 + row * 22
        draw.rectangle([left, y, left + 16, y + 16], fill=colour)
        draw.text((left + 24, y), word, fill=INK, font=font(15))
    image.save(OUT / "news2-bands.png", optimize=True)


def driver_diagram() -> None:
    """Aim, primary drivers, secondary drivers, change ideas, left to right, linked."""
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    columns = [
        ("Aim", 1, BLUE),
        ("Primary", 2, (60, 150, 90)),
        ("Secondary", 4, ORANGE),
        ("Change ideas", 4, (130, 60, 160)),
    ]
    width, gap, top = 96, 22, 30
    boxes: list[list[tuple[float, float, float, float]]] = []
    for column, (title, count, colour) in enumerate(columns):
        x0 = 10 + column * (width + gap)
        draw.text((x0, 4), title, fill=INK, font=font(14))
        height = (HEIGHT - top - 10) / count
        placed = []
        for row in range(count):
            y0 = top + row * height + 6
            box = (x0, y0, x0 + width, y0 + height - 12)
            draw.rounded_rectangle(box, radius=8, fill=colour)
            placed.append(box)
        boxes.append(placed)
    for column in range(3):
        for index, right in enumerate(boxes[column + 1]):
            left = boxes[column][index * len(boxes[column]) // len(boxes[column + 1])]
            draw.line(
                [(left[2], (left[1] + left[3]) / 2), (right[0], (right[1] + right[3]) / 2)],
                fill=INK,
                width=3,
            )
    image.save(OUT / "driver-diagram.png", optimize=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    run_chart()
    spc_chart()
    news2_bands()
    driver_diagram()
    for made in sorted(OUT.glob("*.png")):
        print(made.relative_to(OUT.parents[1]), made.stat().st_size, "bytes")
