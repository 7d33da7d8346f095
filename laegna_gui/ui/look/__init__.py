"""How the window looks: themes, the templated style sheet, colour scale, icons, wheel guard."""
