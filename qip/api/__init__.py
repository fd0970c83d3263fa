"""The read-only REST API for reporting tools (Power BI): flat JSON, ISO dates, stable ids,
names beside ids, scoped to what the signed-in person may see."""
