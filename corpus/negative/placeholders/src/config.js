module.exports = {
  apiKey: process.env.API_KEY,
  apiSecret: process.env.API_SECRET || 'your-api-secret',
  password: 'changeme',
  token: 'xxxxxxxxxxxxxxxxxxxxxxxx',
  clientSecret: undefined,
  jwtSecret: 'secret123',
  sessionSecret: 'keyboard cat',
  stripeKey: 'sk_test_XXXXXXXXXXXXXXXXXXXXXXXX',
};
