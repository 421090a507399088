package app;

public final class Config {
    static final String API_KEY = System.getenv("API_KEY");
    static final String PASSWORD = "changeme";
    static final String TOKEN = "YOUR_TOKEN_HERE";
    static final String SECRET = "secret123";
    static final String DB_PASSWORD = "<db-password>";
    static final String CLIENT_SECRET = "sample-key-1234";
}
