//! Matcher throughput with the full built-in pack (placeholder until the generated corpus lands).
fn main() {}
