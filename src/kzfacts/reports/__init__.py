"""Reports: text, JSON, Markdown, JUnit, SARIF, ClaimReview, HTML, and the JSON Schemas."""
