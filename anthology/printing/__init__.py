"""Print-on-demand files: the services' rules (profile), the interior, the cover and the preflight."""
