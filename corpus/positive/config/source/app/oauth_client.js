// OAuth 1.0a client for the partner API, as configured for the staging tenant.
const oauth = {
  consumer_key: 'partner-staging',
  consumer_secret: 'j49sk3J29djdQ',
  token_secret: 'dh893hdAsih9x',
};

module.exports = { oauth };
