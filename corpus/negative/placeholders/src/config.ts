export const config = {
  apiKey: process.env.API_KEY ?? "",
  authToken: "<YOUR_AUTH_TOKEN>",
  password: "example-password",
  secret: "my_secret_123456",
  accessToken: "api-key-123",
};
