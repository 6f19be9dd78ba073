"""The audit record's command line (``zonedesk audit``); the chains themselves are core.chain."""
