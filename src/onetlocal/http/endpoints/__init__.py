"""Route tables, one module per API family (each exports ENDPOINTS)."""
