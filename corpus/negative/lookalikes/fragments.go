package fragments

// Test tables of a detector: each token is cut by a character no issuer puts in a token,
// so the generic detector sees only a fragment of a longer string.
func tables() {
	vendorToken := "mQ1yoFjk5JLlxbzRUzKTA6vsfR8wq,6TNc83rtNKlkD092Sj1c9CbPVBXlHksy"
	vendorAPIKey := "yUeIqnFwILOIlEPyBt+=JOAdwfQ7sD2uHOAdwf2U[qy]UeIqnFwILOIlEPyBtJ^"
	otherToken := "sjbuxa3m-vs4n- ykl8-8jpv#i09hdidciolp"
	url := "https://api.vendor.example/v2/posts?auth_token=l7psk7wkedkpiyp4j(rx5fjdnn)"
	_, _, _, _ = vendorToken, vendorAPIKey, otherToken, url
}
