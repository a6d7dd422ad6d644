"""The REST API base that every domain app's ``api`` package builds on."""
