#ifndef CONFIG_H
#define CONFIG_H

#define DB_USER "telemetry"
#define DB_PASSWORD "Maple-Key9"
#define PASSWORD_MAX_LEN 64

static char backup_pass[] = "Elm-pw-3x";

#endif
