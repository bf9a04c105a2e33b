"""The Mesa model: actor arrays, forums, ties, and one module per submodel."""
