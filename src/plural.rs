//! Counted nouns for messages: `1 finding`, `3 findings`, `1 repository`, `2 repositories`.
//! One helper, so every message agrees and none says `1 findings`.

/// `n` followed by `one` when `n` is 1, else by `many`.
pub fn count<N>(n: N, one: &str, many: &str) -> String
where
    N: std::fmt::Display + PartialEq + From<u8>,
{
    let noun = if n == N::from(1) { one } else { many };
    format!("{n} {noun}")
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(0, "finding", "findings"), "0 findings");
        assert_eq!(count(1, "finding", "findings"), "1 finding");
        assert_eq!(count(2u64, "repository", "repositories"), "2 repositories");
    }
}
