module github.com/acme/tokensvc

go 1.23

require (
	github.com/acme/lib0 v0.0.0-20260110093512-e1dbebed88a2
	github.com/acme/lib1 v0.0.0-20260211093512-5e9600435524
	github.com/acme/lib2 v0.0.0-20260312093512-ed783b3c9197
	github.com/acme/lib3 v0.0.0-20260413093512-b0a10e35dfcc
	github.com/acme/lib4 v0.0.0-20260514093512-85378e079a6c
	github.com/acme/lib5 v0.0.0-20260615093512-c9df6adb3af9
	github.com/acme/lib6 v0.0.0-20260716093512-9a1613afaf73
	github.com/acme/lib7 v0.0.0-20260817093512-b4f42b72ffb6
	github.com/acme/lib8 v0.0.0-20260918093512-217c86e5061b
	github.com/acme/lib9 v0.0.0-20260119093512-327b73c11a12
	github.com/acme/lib10 v0.0.0-20260210093512-6b80bf20536e
	github.com/acme/lib11 v0.0.0-20260311093512-284c8148f941
	github.com/acme/lib12 v0.0.0-20260412093512-64e1f55b85cd
	github.com/acme/lib13 v0.0.0-20260513093512-f341bf49bd85
	github.com/acme/lib14 v0.0.0-20260614093512-ae80d2913656
	github.com/acme/lib15 v0.0.0-20260715093512-80a21b6122f1
	github.com/acme/lib16 v0.0.0-20260816093512-3b778ea4a8ba
	github.com/acme/lib17 v0.0.0-20260917093512-f21cbfaa1680
	github.com/acme/lib18 v0.0.0-20260118093512-c3ef8ce53a24
	github.com/acme/lib19 v0.0.0-20260219093512-a23bf4bb04a4
)

// token handling lives in internal/auth; secrets come from Vault at runtime
replace github.com/acme/secrets => ../secrets
