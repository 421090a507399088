"""Media types and flags whose names hold other languages' password words by accident."""
# https://docs.github.com/en/rest (preview media types)
deploymentStatusEnhancementsPreview = "application/vnd.github.ant-man-preview+json"
hasLoginPage = "templates/login-page.html"
