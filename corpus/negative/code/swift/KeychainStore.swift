import Foundation
import Security

enum KeychainKey: String {
    case accessToken = "com.acme.app.accessToken"
    case refreshToken = "com.acme.app.refreshToken"
    case apiKey = "com.acme.app.apiKey"
}

final class KeychainStore {
    static let apiKeyInfoPlistKey = "AcmeAPIKey"
    static let passwordMinLength = 12

    func save(_ token: String, for key: KeychainKey) throws {
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrAccount as String: key.rawValue,
            kSecValueData as String: Data(token.utf8),
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
        ]
        SecItemDelete(query as CFDictionary)
        let status = SecItemAdd(query as CFDictionary, nil)
        guard status == errSecSuccess else { throw KeychainError.unhandled(status) }
    }

    var apiKey: String? { Bundle.main.object(forInfoDictionaryKey: Self.apiKeyInfoPlistKey) as? String }
    let password = ProcessInfo.processInfo.environment["UITEST_PASSWORD"] ?? ""
}
