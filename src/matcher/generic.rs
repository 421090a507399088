//! The generic detector's last judgement of a confirmed match (`generic.*` rules): the
//! value with the name it is assigned to, the stand-in rules of named fields, and, for a
//! token, whether the value is only a fragment of a longer string. The filters themselves
//! live in [`super::filters`]; this joins them in the order the generic rules need.

/// Whether the generic detector drops a match: by its value and the name it is assigned
/// to, by the stand-in rules of named fields, or (for a token) as a fragment of a longer
/// string ([`super::filters::lookalike::fragment_of_longer_value`]).
pub(super) fn rejected(
    rule: &crate::rules::Rule,
    compiled: &crate::rules::Compiled,
    caps: &regex::bytes::Captures<'_>,
    data: &[u8],
    secret: std::ops::Range<usize>,
) -> bool {
    let s = &data[secret.clone()];
    let name = compiled
        .name_group
        .and_then(|g| caps.get(g))
        .map_or(&b""[..], |m| m.as_bytes());
    // A weak name (`key`) says nothing for or against a digest-shaped value: the provider
    // it is attributed to decides, by its value class.
    let rejected = if rule.spec.attributed {
        super::filters::generic_rejects(s)
    } else {
        super::filters::generic_rejects_named(name, s)
    };
    // A camelCase identifier (`SigningAlgRSAUsingSHA256`) or a property's key
    // (`app.site.hostname=`) is code where a token is expected; a password may be a
    // person's choice of words and stays.
    let token = rule.spec.credential != crate::rules::CredentialKind::Password;
    let code = |s: &[u8]| {
        super::filters::identifier::camel_identifier(s)
            || super::filters::identifier::property_key(s)
    };
    rejected
        || super::filters::standin::field_rejects(false, s)
        || (token && (code(s) || super::filters::identifier::identity_name(name)))
        || (!token && super::filters::identifier::password_word_inside_word(name))
        || (token
            && super::filters::lookalike::fragment_of_longer_value(data, secret.start, secret.end))
}
