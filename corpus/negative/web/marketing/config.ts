// Public identifiers used by the marketing site. Form GUIDs and the portal id are
// embedded in every page by HubSpot's own snippet; they are not credentials.
export const hubspotPortalId = "6810458";
export const hubspotFormId = "4ac1c8cf-ef12-499b-a7e1-01db41ad98e3";
export const hubspotContactFormId = "8b241d7f-6640-47ed-a775-c8ae72598949";
export const hubspotForms = {
  webinar: "37544d9a-a771-49c5-94ad-32ccb6955b20",
  trial: "f7122a7f-e8e5-4448-8f9e-e76bf6441806",
};
export const gaMeasurementId = "G-63CRTLWYG0";
export const segmentCdnHost = "cdn.segment.com";
export const intercomAppId = "hs7b2t0i";
export const launchDarklyClientSideId = "1c7b73dc2d6fa1bf3d4a7fdf";
export const mixpanelProjectId = 2839501;
export const algoliaAppId = "WB7EIVVKX0";
export const algoliaIndexName = "docs_production";
// The search-only key is loaded from /config.json at run time; the admin key never leaves CI.
