"""cangxanh: a multilingual news portal for a city's foreign-affairs office."""
