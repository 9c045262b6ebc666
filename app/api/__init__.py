"""The API's routers, one per area; ``app.main`` includes them."""
