// Auto-generated GraphQL persisted query ids (sha256 of the query text)
export const persistedQueries = {
  GetApiKeys: "7564861867f75cad55be81018d2921ef4ada5a71df66e62761f534a7719757e9",
  CreateApiKey: "501df549e7971617215a9a86db85bcb5fa56cc20ffba86b2e74d4a2c9fef6d89",
  RevokeApiKey: "33411eef75fafeb71d641d677588b302d80ddc3ad8f8e3653cb41cb491e167bd",
  RotateSecret: "55dfb89552a1c80eaaea770c66cfb4cdec78696d0012ba3b801794a4e98b6334",
  ListTokens: "689f5f07050cd0439fe485dc1290349d7c07e8c47e0fee487b3ae124287fd698",
  ResetPassword: "48d7dbae12e76199ddd20d5aa96a4eedef9d2e810e0b8d802524e7383a279ec1",
  ChangePassword: "7d4144e4b073fbb0235a2d2550de636043e328acea462a8643a65840a7c8f346",
  GetSigningKeys: "e71c9bf87f40d05dc59fccf25877b795753f9fcff01a736c530e4e1014cf5673",
  UpdateWebhookSecret: "4e2ef7b34fcbcf8f09d661551f8bea36dc15826846126a268f6e187b79ed15d0",
  ListSecrets: "12330c5203ed0bb74d6aab8f7c618ac5979c5b408c2292894e8d231ebb481d26",
  DeleteToken: "25d92e939bac182b51d43618eb9faf7b9d781786ebccadd61b49a255a0c4f5d7",
  VerifyOtpToken: "c0b487d5ccb494a31b6d53c583d3c46837ea41fb66000dd7da17246e92d28b42",
};

// i18n message ids produced by formatjs (content hashes, base64url)
export const msgGetApiKeys = { id: "7frA0Tri", defaultMessage: "GetApiKeys failed" };
export const msgCreateApiKey = { id: "J0Q-olHk", defaultMessage: "CreateApiKey failed" };
export const msgRevokeApiKey = { id: "Rc337AkR", defaultMessage: "RevokeApiKey failed" };
export const msgRotateSecret = { id: "Q9-0xKg3", defaultMessage: "RotateSecret failed" };
export const msgListTokens = { id: "hru7idly", defaultMessage: "ListTokens failed" };
export const msgResetPassword = { id: "TQm4aY35", defaultMessage: "ResetPassword failed" };
export const msgChangePassword = { id: "iT42Ovy1", defaultMessage: "ChangePassword failed" };
export const msgGetSigningKeys = { id: "z1vrZhot", defaultMessage: "GetSigningKeys failed" };
export const msgUpdateWebhookSecret = { id: "9RNrtmNO", defaultMessage: "UpdateWebhookSecret failed" };
export const msgListSecrets = { id: "ZwpIRggK", defaultMessage: "ListSecrets failed" };
export const msgDeleteToken = { id: "DHw8QfnC", defaultMessage: "DeleteToken failed" };
export const msgVerifyOtpToken = { id: "jJSuTv8D", defaultMessage: "VerifyOtpToken failed" };

// CSS module class names
export const styles = {passwordField: "passwordField__3Uihk", tokenList: "tokenList__Fjgh3", secretReveal: "secretReveal__Ygspf", apiKeyRow: "apiKeyRow__bbANo", keyMask: "keyMask__hdztb"};
