"""Pure rules of governance (责任落实). No ORM, no clock.

Sources: ../shared/regulations.md and the seed-map rows the issue names (A1–A9, A11, B7, B10, B11, C12–C14,
D1–D4, H1–H5, I4–I7); each rule names its source in one short comment. Codes are English; each vocabulary is a
module constant of (code, Chinese label) pairs.
"""

from __future__ import annotations
