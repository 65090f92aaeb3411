"""The demo organisation that `flask seed-demo` loads: content and loader."""
