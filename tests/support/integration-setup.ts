// Integration tests start real services (Redis, the Docker engine, image builds): give each test two minutes.
jest.setTimeout(120_000);
