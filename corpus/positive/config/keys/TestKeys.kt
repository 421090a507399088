package com.acme.tls

// Test keys generated for this suite only.
object TestKeys {
    const val SIGNING_KEY: String = "-----BEGIN RSA PRIVATE KEY----- test only\n" +
        "MIICXINFc5rj3rvaPYA1h4hJ8wguwIuY37O+Idqhp7FoyNzWpFcm6s6LhNzaCgof\n" +
        "Y0BbT6b1VuaLyDkwlTMwaf7EpcJQTLotxyyunTumew7ihw11DstAD91slsdRadFx\n" +
        "/cl9tXDaREcjkHXRnLbHmO4ACpzJfSR5z4gx/fk/9AC3fTZB+fr280Xgc74CUcmG\n" +
        "vxdqbK/MXy5TGt0i7J4SIRIpXW7evLjEFihMKb+iuLeV8bxQ0OyZMTGVoxZdmrgA\n" +
        "WBiqbL1NJeXzpWyQqXmSui+jOFrEsQgWzLfZG7PTePsEPe4Pf4Pxsnl14K0o5hlJ\n" +
        "1lcxY25jmNn2INoVnrwW3Iz76MhiyqsWgrCBK8my0bSBRhIafoLpyKHaCfYl9UU3\n" +
        "2vDLUOCTzMBd40mYHCOTSnD6huk7naDbS4B59QM/BWS/p9c1zbF2Q8ctYhr3lKjx\n" +
        "J5sWimb3S3BTsfJoq4WUGVMv0vnA9gmpME7SHsVzObMczjMnjIDlnFPhxmFmI3Ac\n" +
        "WzehjL2WrZlX+x/bXNbfpo6WI80=\n" +
        "-----END RSA PRIVATE KEY-----"
}
