"""Dispatch and bulletins (调度与通报): reporting cycles, progress reports, plans, coordination issues,
KPIs and rankings from configuration, and the monthly bulletin in Word and PDF."""
