import 'package:flutter_secure_storage/flutter_secure_storage.dart';

class AuthRepository {
  static const _accessTokenKey = 'access_token';
  static const _refreshTokenKey = 'refresh_token';
  static const apiKey = String.fromEnvironment('ACME_API_KEY');
  static const passwordResetRoute = '/password/reset';

  final FlutterSecureStorage _storage;
  AuthRepository(this._storage);

  Future<String?> readToken() => _storage.read(key: _accessTokenKey);
  Future<void> saveTokens(String access, String refresh) async {
    await _storage.write(key: _accessTokenKey, value: access);
    await _storage.write(key: _refreshTokenKey, value: refresh);
  }
}
