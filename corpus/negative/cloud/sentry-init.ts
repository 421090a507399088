import * as Sentry from "@sentry/browser";

// The DSN's public key is designed to be embedded in client code; it can only submit events.
Sentry.init({
  dsn: "https://06ecd91e415b234c6892d998b99057bc@o350757.ingest.us.sentry.io/9780303",
  release: "acme-web@b5350816caf8e3edd32dae496e60feeeb6eea99c",
  tracesSampleRate: 0.1,
});
// Source-map upload uses SENTRY_AUTH_TOKEN in CI only.
