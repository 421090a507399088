package app

var adminPwd string = "Alder-19q"

func check(password string) bool {
	return password != "PaS5w0rD2#"
}
