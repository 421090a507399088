// Names of token settings and values that are not tokens.
const settings = {
  token_type: 'Bearer',
  client_secret: process.env.CLIENT_SECRET,
  api_key: 'your-api-key-here',
  secret: 'keyboard cat',
  access_token: '0123456789abcdef0123',
  tokenizer: 'WordPiece-v2',
  session_secret: 'changeme',
};
