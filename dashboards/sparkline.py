"""A small trend line as inline SVG, drawn on the server: no script, prints anywhere."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join


def sparkline_svg(points: list[tuple[int, Decimal]], *, label: str, width=96, height=26) -> str:
    """Return an <svg> polyline through the points (year, value), or "—" with fewer than 2."""
    if len(points) < 2:
        return "—"
    years = [year for year, _ in points]
    values = [value for _, value in points]
    low, high = min(values), max(values)
    spread = (high - low) or Decimal(1)
    first, span = min(years), (max(years) - min(years)) or 1
    pad = 3

    def x(year: int) -> str:
        return f"{pad + (width - 2 * pad) * (year - first) / span:.1f}"

    def y(value: Decimal) -> str:
        return f"{pad + (height - 2 * pad) * float((high - value) / spread):.1f}"

    coordinates = " ".join(f"{x(year)},{y(value)}" for year, value in points)
    dots = format_html_join(
        "", '<circle cx="{}" cy="{}" r="1.8"></circle>', ((x(a), y(b)) for a, b in points)
    )
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}"><polyline points="{}"></polyline>{}</svg>',
        width,
        height,
        width,
        height,
        label,
        coordinates,
        dots,
    )
