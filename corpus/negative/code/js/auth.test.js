describe("auth", () => {
  it("rejects an empty password", () => {
    expect(() => login({ username: "a@b.test", password: "" })).toThrow("Password is required");
  });
  it("strips the Bearer prefix from the token", () => {
    expect(getBearerToken({ headers: { authorization: "Bearer abc.def.ghi" } })).toBe("abc.def.ghi");
  });
  it("masks secrets", () => {
    expect(maskSecret("sk_test_0000111122223333")).toBe("sk_t…3333");
  });
  it("reads API_KEY from the environment", () => {
    process.env.API_KEY = "test-api-key";
    expect(loadConfig().apiKey).toBe("test-api-key");
  });
  test.each([["password"], ["Password1"], ["hunter2"]])("weak password %s is rejected", (pw) => {
    expect(isStrong(pw)).toBe(false);
  });
});
