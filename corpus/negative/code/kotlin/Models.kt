package com.acme.auth

import java.io.Serializable

data class KtToken(val id: String, @Transient val secret: String = "") : Serializable {
    companion object { private const val serialVersionUID: Long = 674137269971274985L }
}

data class KtSecretHandle(val id: String, @Transient val secret: String = "") : Serializable {
    companion object { private const val serialVersionUID: Long = 1384303951272276988L }
}

data class KtLogin(val id: String, @Transient val secret: String = "") : Serializable {
    companion object { private const val serialVersionUID: Long = 5614768782798133570L }
}

data class KtApiKey(val id: String, @Transient val secret: String = "") : Serializable {
    companion object { private const val serialVersionUID: Long = 1070844590581575092L }
}

const val PREF_KEY_ACCESS_TOKEN = "access_token"
const val EXTRA_PASSWORD = "com.acme.extra.PASSWORD"
val apiKey: String = BuildConfig.API_KEY
val secret = System.getenv("CLIENT_SECRET") ?: error("CLIENT_SECRET not set")
