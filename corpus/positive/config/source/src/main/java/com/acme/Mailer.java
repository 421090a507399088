package com.acme;

public class Mailer {
    static final String SMTP_PASSWORD_KEY = "mail.smtp.password";

    void configure(Session s) {
        s.setPassword("Curlew&9");
        s.setPassword(System.getenv("SMTP_PASSWORD"));
    }
}
