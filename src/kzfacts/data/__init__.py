"""From files to a validated fact base: YAML, the data models, the source and its anchors."""
