"""The partner map: country outlines shipped with the project, drawn on the server as SVG.

``world.world_map`` renders; ``projection.project`` places a latitude and longitude in
the map's frame; ``build_data`` rebuilt ``data/world.json`` once from Natural Earth
(public domain) and never runs in the portal.
"""
