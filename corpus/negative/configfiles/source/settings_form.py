from getpass import getpass

PASSWORD_FIELD = "password"
password = getpass("Password: ")
password = input("New password: ")
if password == "password":
    raise ValueError("choose another password")
params = {"password": "${DB_PASSWORD}", "token": "{{ token }}"}
DSN = "DSN=mydsn;UID=ed;PWD=pass%2Bword"
db_password = os.environ.get("DB_PASSWORD", "")
