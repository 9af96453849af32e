"""The API's routes: thin — validate with a schema, call one service method, return a declared model."""
