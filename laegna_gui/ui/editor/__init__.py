"""Editing the network beside the canvas: block palette, inspector, preset gallery."""
