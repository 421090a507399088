#ifndef LIMITS_H
#define LIMITS_H
#define PASSWORD_MAX_LEN 64
#define PASSWORD_PROMPT "Password: "
#define DB_PASSWORD getenv("DB_PASSWORD")
#define PASSWORD_ENV "DB_PASSWORD"
#endif
