"""Reference places: the NUTS regions of Eurostat and the cities of GeoNames, from offline packages.

`nuts` reads the regions, `cities` the countries and cities, `load` writes them to the graph.
"""
