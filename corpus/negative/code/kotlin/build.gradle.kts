android {
    defaultConfig {
        buildConfigField("String", "API_KEY", "\"${project.findProperty("acmeApiKey") ?: ""}\"")
        manifestPlaceholders["mapsApiKey"] = System.getenv("MAPS_API_KEY") ?: ""
    }
    signingConfigs {
        create("release") {
            storeFile = file(System.getenv("KEYSTORE_PATH") ?: "release.jks")
            storePassword = System.getenv("KEYSTORE_PASSWORD")
            keyAlias = "release"
            keyPassword = System.getenv("KEY_PASSWORD")
        }
    }
}
dependencyResolutionManagement {
    repositories {
        maven {
            url = uri("https://maven.pkg.github.com/acme/libs")
            credentials {
                username = providers.gradleProperty("gpr.user").orNull
                password = providers.environmentVariable("GITHUB_TOKEN").orNull
            }
        }
    }
}
