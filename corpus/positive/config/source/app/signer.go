package app

var signer = Signer{
	Issuer:     "billing",
	HMACSecret: "rLABDrx87et5KvRHVUgTm3pezWWd8LMN",
}
