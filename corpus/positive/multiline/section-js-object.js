// Settings for the jobs import, merged over the defaults at start-up.
module.exports = {
  adzuna: {
    region: 'gb',
    country: 'uk',
    page: 1,
    resultsPerPage: 50,
    appKey: '61f0d3a8c2e94b7d05a1f6c8e3b92d47',
  },
};
