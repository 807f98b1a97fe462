"""The enterprise's own safety work as pure rules (no ORM): risk grading (LEC, LS), self-inspection schedules,
standardisation and insurance periods. Each rule names its source (../shared/regulations.md)."""
