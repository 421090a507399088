const webpack = require("webpack");
module.exports = {
  plugins: [
    new webpack.DefinePlugin({
      "process.env.API_URL": JSON.stringify(process.env.API_URL),
      "process.env.SENTRY_DSN": JSON.stringify(process.env.SENTRY_DSN || ""),
      __BUILD_HASH__: JSON.stringify(process.env.GIT_SHA),
    }),
  ],
  output: { filename: "[name].[contenthash:20].js", hashFunction: "xxhash64" },
  devServer: { proxy: { "/api": { target: "http://localhost:8000", headers: { "X-Dev-Token": process.env.DEV_TOKEN } } } },
};
