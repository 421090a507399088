// Writes a response file line by line: `token:` is the text to replace, not a credential.
def writeResponseFile(antBuilder, rspFile, config) {
    antBuilder.replace(file: rspFile, token: "app.site.hostname=", value: "app.site.hostname=" + config.app.site.hostname, summary: true)
    antBuilder.replace(file: rspFile, token: "app.site.database.datasource=", value: "app.site.database.datasource=" + config.app.site.datasource, summary: true)
    antBuilder.replace(file: rspFile, token: "app.site.bootstrap.status=", value: "app.site.bootstrap.status=never_done", summary: true)
}
