const apiKey = "9cfcdee030593721935a131da6c069a8";
const client = new AdzunaClient({ appId: "4f1a2b3c", apiKey });
