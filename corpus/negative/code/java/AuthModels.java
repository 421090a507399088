package com.acme.auth;

import java.io.Serializable;
import org.springframework.beans.factory.annotation.Value;

class UserCredentials implements Serializable {
    private static final long serialVersionUID = 906627530395784800L;
    private String password;
}

class ApiKeyRecord implements Serializable {
    private static final long serialVersionUID = 5112833287494957417L;
    private transient String token;
}

class TokenPair implements Serializable {
    private static final long serialVersionUID = 710993999558154307L;
    private String password;
}

class PasswordResetRequest implements Serializable {
    private static final long serialVersionUID = 5921368630271832850L;
    private transient String token;
}

class SessionState implements Serializable {
    private static final long serialVersionUID = -2718823520121643395L;
    private String password;
}

class OAuthClient implements Serializable {
    private static final long serialVersionUID = -6894951370296314164L;
    private transient String token;
}

class SecretRef implements Serializable {
    private static final long serialVersionUID = 533838158556015748L;
    private String password;
}

class SigningKeyInfo implements Serializable {
    private static final long serialVersionUID = 1791303448392205752L;
    private transient String token;
}

class RefreshTokenEntity implements Serializable {
    private static final long serialVersionUID = 2262889717323167956L;
    private String password;
}

class AuditEvent implements Serializable {
    private static final long serialVersionUID = -1377786695845783674L;
    private transient String token;
}

@org.springframework.stereotype.Component
class AuthProperties {
    @Value("${jwt.secret}")
    private String jwtSecret;
    @Value("${app.api-key:}")
    private String apiKey;
    @Value("#{environment['DB_PASSWORD']}")
    private String dbPassword;
    private final char[] keystorePassword = System.getenv("KEYSTORE_PASSWORD").toCharArray();
    public static final String PASSWORD_PARAM = "password";
    public static final String TOKEN_TYPE_BEARER = "Bearer";
}
