//! Inline allow markers: a comment on a finding's line (`keytrace:allow`, and the markers
//! of gitleaks and detect-secrets, so a repository moving over keeps its annotations)
//! that hides it.

use memchr::{memchr, memrchr};

/// Markers that suppress a finding on their line.
const INLINE_ALLOW: &[&[u8]] = &[
    b"keytrace:allow",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
];

/// Whether the lines holding `start..end` carry an inline allow marker.
pub(crate) fn has_inline_allow(data: &[u8], start: usize, end: usize) -> bool {
    let ls = memrchr(b'\n', &data[..start]).map_or(0, |i| i + 1);
    let le = memchr(b'\n', &data[end..]).map_or(data.len(), |i| end + i);
    let line = &data[ls..le];
    INLINE_ALLOW
        .iter()
        .any(|m| memchr::memmem::find(line, m).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_on_the_line_allows() {
        let data = b"a = 1\nkey = x # keytrace:allow\nb = 2\n";
        let start = 10;
        assert!(has_inline_allow(data, start, start + 1));
        assert!(!has_inline_allow(data, 0, 1));
        assert!(has_inline_allow(b"k = v  # pragma: allowlist secret", 4, 5));
    }
}
