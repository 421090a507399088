it('sends credentials', () => {
  expect(req.headers.authorization).toBe('Basic Y2ktYm90OkF2b2NldC0yMjA3')
})
