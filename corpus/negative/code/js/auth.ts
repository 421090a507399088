import jwt from "jsonwebtoken";
import bcrypt from "bcryptjs";

const JWT_SECRET = process.env.JWT_SECRET!;
const API_KEY = process.env.API_KEY ?? "";
const stripeKey = process.env["STRIPE_SECRET_KEY"];
const { GITHUB_TOKEN, NPM_TOKEN } = process.env;
export const TOKEN_STORAGE_KEY = "acme.auth.token";
export const PASSWORD_MIN_LENGTH = 12;

export enum TokenType {
  Access = "access_token",
  Refresh = "refresh_token",
  PasswordReset = "password_reset_token",
  ApiKey = "api_key",
}

export interface Credentials {
  username: string;
  password: string;
  otpToken?: string;
}

export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, 12);
}

export function signAccessToken(userId: string): string {
  return jwt.sign({ sub: userId }, JWT_SECRET, { expiresIn: "15m" });
}

export function getBearerToken(req: { headers: Record<string, string | undefined> }): string | undefined {
  const header = req.headers["authorization"];
  return header?.startsWith("Bearer ") ? header.slice(7) : undefined;
}

export const maskSecret = (secret: string) => secret.slice(0, 4) + "…" + secret.slice(-4);

const config = {
  apiKey: API_KEY,
  password: "",
  secret: undefined,
  token: null,
  clientSecret: import.meta.env.VITE_CLIENT_SECRET,
  accessToken: localStorage.getItem(TOKEN_STORAGE_KEY),
};

export const messages = {
  passwordRequired: "Password is required",
  passwordTooShort: `Password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  tokenExpired: "Your session token has expired. Please sign in again.",
  apiKeyCreated: "API key created. Copy it now — you won't be able to see it again.",
  secretRevealed: "Secret revealed for 30 seconds",
};
