// Spring-style configuration: constructor parameters whose type names open with provider
// words (DevTools), and javadoc describing a service binding's fields. No credentials.
class RemoteClientConfiguration {

	LiveReloadConfiguration liveReload(DevToolsProperties properties, ClientHttpRequestFactory clientHttpRequestFactory) {
		return new LiveReloadConfiguration(properties, clientHttpRequestFactory);
	}

	/**
	 * Binding fields are flattened to properties such as
	 * vcap.services.mysql.credentials.username: sq9Lx2MqvT7wd
	 */
	void flatten() {
	}

}
