"""自查自改 as data: how often a post should be self-inspected by its risk level. No national rule fixes these
frequencies (安全生产法 第四十一条 and 16号令 第十条 only say 定期 / 经常性); the table below is **Anlan's default**,
shown as such in the UI, and a county changes it here (rules.suggested_frequency takes another table too)."""

from __future__ import annotations

DAILY = "daily"
WEEKLY = "weekly"
MONTHLY = "monthly"
# From the most to the least frequent: a frequency "below" another is further down this tuple.
FREQUENCIES = (DAILY, WEEKLY, MONTHLY)

# Risk levels as the risk register grades them (regulations.md §5: 重大/较大/一般/低 → red/orange/yellow/blue).
RISK_LEVELS = ("major", "significant", "general", "low")

# Anlan's default: 重大、较大风险岗位 at least daily (班前、班中检查), 一般风险 weekly, 低风险 monthly.
SUGGESTED_FREQUENCY = {
    "major": DAILY,
    "significant": DAILY,
    "general": WEEKLY,
    "low": MONTHLY,
}

# How far back the nightly sweep looks for missed periods, and the windows supervisors compare.
SWEEP_LOOKBACK_DAYS = 100
ATTRIBUTE_WINDOW_DAYS = 90
COMPLIANCE_WINDOWS = (30, 90)
