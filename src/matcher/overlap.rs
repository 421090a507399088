//! Which of several matches of one secret is reported: overlapping matches from different
//! rules are the same finding seen twice, and the rule that knows most about it names it.

use super::RawMatch;
use crate::rules::RulePack;

/// Among matches whose secrets overlap, keeps one: a provider rule over a generic one,
/// then the longer secret, then the match that read more text before the secret (a rule
/// that found the provider's name in front of a shape other rules know too, such as a JSON
/// Web Token or `sk_` and hex digits), then the earlier rule. Dropped entries get
/// `rule = u32::MAX`.
pub(super) fn resolve_overlaps(pack: &RulePack, matches: &mut [RawMatch]) {
    matches.sort_unstable_by_key(|m| (m.secret_start, m.secret_end, m.rule));
    let mut i = 0;
    while i < matches.len() {
        let mut best = i;
        let mut group_end = matches[i].secret_end;
        let mut j = i + 1;
        while j < matches.len() && matches[j].secret_start < group_end {
            group_end = group_end.max(matches[j].secret_end);
            if better(pack, &matches[j], &matches[best]) {
                best = j;
            }
            j += 1;
        }
        for (k, m) in matches.iter_mut().enumerate().take(j).skip(i) {
            if k != best {
                m.rule = u32::MAX;
            }
        }
        i = j;
    }
}

fn better(pack: &RulePack, a: &RawMatch, b: &RawMatch) -> bool {
    let ga = pack.get(a.rule as usize).generic;
    let gb = pack.get(b.rule as usize).generic;
    if ga != gb {
        return !ga;
    }
    let la = a.secret_end - a.secret_start;
    let lb = b.secret_end - b.secret_start;
    if la != lb {
        return la > lb;
    }
    // Without this, pack order (file names) decided: `jwt.token` beat every provider's
    // JWT rule whose file sorts after `jwt.toml`.
    let (ra, rb) = (
        a.secret_start.saturating_sub(a.start),
        b.secret_start.saturating_sub(b.start),
    );
    ra > rb || (ra == rb && a.rule < b.rule)
}
