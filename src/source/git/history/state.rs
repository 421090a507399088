//! `scan --history --state DIR`: incremental history. The first run is a full scan that
//! records, in `DIR/history.state`, what makes the next run exact: the tips it scanned,
//! every blob it scanned (sorted ids), and for each blob with findings the paths it sits at
//! with its first and last commit and commit count. The next run walks only the commits
//! the recorded tips do not reach, scans the blobs they hold that were never scanned,
//! re-reads the blobs with earlier findings (the state holds no secret, so findings are
//! rebuilt from the objects), carries the recorded provenance over and adds the new
//! commits to it, and marks what HEAD holds now. The result equals a full scan's
//! (`tests/it/state.rs` proves it step by step).
//!
//! A recorded tip no ref reaches any more (a force-push, a deleted branch) means commits
//! left the history and their counts must shrink: provenance is then recomputed from every
//! commit's trees (the blob pass stays incremental: a blob's findings do not depend on
//! where it sits). A state that cannot be read (corrupt, another format version) or that
//! was written under other rules or options is ignored with a note: the run is a full scan
//! and rewrites it. The file is written atomically (a temporary file, then a rename), and
//! only after a complete scan: an interrupted run, or one that could not read everything,
//! leaves the previous state as it was.
//!
//! The format (version 1), documented in `docs/org-scale.md`: a first line
//! `keytrace-history-state 1`, a second line holding one JSON object (`key`, `all_refs`,
//! `object_hash`, `tips`, `blobs`: how many ids follow, `hits`: `[{blob, places: [{path
//! | path_bytes, first, last, commits}]}]`), then the scanned blob ids, raw, sorted.

use std::collections::{BTreeSet, HashMap};
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{anyhow, bail, Context as _};
use gix::bstr::{BString, ByteSlice};
use gix::objs::tree::EntryKind;
use gix::ObjectId;
use serde::{Deserialize, Serialize};

use super::super::{open, GitOptions};
use super::blobs::{scan_listed, BlobHits, BlobPass};
use super::provenance::{
    attribute, commit_graph, mark_head, place, record, topological, CommitNode, PathProvenance,
    Prov, TreeIndex,
};
use super::{full, tips};
use crate::engine::{Engine, ScanError, ScanOutput, Stats};
use crate::progress::Phase;

/// The state file's name in the state folder.
pub const FILE_NAME: &str = "history.state";
/// The first word of the file.
const MAGIC: &str = "keytrace-history-state";
/// The format version this keytrace reads and writes.
const VERSION: u32 = 1;

/// What a run records for the next one.
pub(super) struct Snapshot {
    /// The commits the run walked from (HEAD, or every ref with `--all`).
    tips: Vec<ObjectId>,
    /// Every blob scanned, sorted.
    blobs: Vec<ObjectId>,
    /// The blobs with findings, reachable or not, with where they sit.
    hits: Vec<Hit>,
}

/// A blob with findings.
struct Hit {
    id: ObjectId,
    places: Vec<Place>,
}

/// A path a blob with findings sits at, over the walked commits.
#[derive(Clone)]
struct Place {
    path: BString,
    first: ObjectId,
    last: ObjectId,
    commits: u64,
}

impl Snapshot {
    /// A full run's record: its tips, its scanned blobs and its blobs with findings (in the
    /// order `hits` has: provenance numbers them so).
    pub(super) fn new(
        tips: Vec<ObjectId>,
        seen: gix::hashtable::HashSet<ObjectId>,
        hits: &[BlobHits],
    ) -> Self {
        let mut blobs: Vec<ObjectId> = seen.into_iter().collect();
        blobs.sort_unstable();
        Snapshot {
            tips,
            blobs,
            hits: hits
                .iter()
                .map(|h| Hit {
                    id: h.id,
                    places: Vec::new(),
                })
                .collect(),
        }
    }

    /// Records where the hits sit, from provenance numbered by the hits' order.
    pub(super) fn record_places(&mut self, nodes: &[CommitNode], order: &[usize], prov: &Prov) {
        for ((ti, path), p) in prov {
            if let Some(h) = self.hits.get_mut(*ti as usize) {
                h.places.push(Place {
                    path: path.clone(),
                    first: nodes[order[p.first]].id,
                    last: nodes[order[p.last]].id,
                    commits: p.commits,
                });
            }
        }
        for h in &mut self.hits {
            h.places.sort_by(|a, b| a.path.cmp(&b.path));
        }
    }
}

/// Scans the history of `repo_path` incrementally, keeping the state in `dir`.
pub fn scan(
    engine: &Engine,
    repo_path: &Path,
    opts: &GitOptions,
    dir: &Path,
) -> anyhow::Result<ScanOutput> {
    if opts.include_unreachable {
        bail!("--state cannot be combined with --include-unreachable: blobs no ref reaches are not tracked between runs");
    }
    let file = dir.join(FILE_NAME);
    let key = key(engine, opts);
    let repo = open(repo_path)?.to_thread_local();
    let hash = format!("{:?}", repo.object_hash());
    let mut notes = Vec::new();
    let prior = match load(&file) {
        Ok(None) => {
            notes.push(format!(
                "state: {} does not exist yet: full scan",
                file.display()
            ));
            None
        }
        Ok(Some(s)) if s.key != key || s.all_refs != opts.all_refs || s.object_hash != hash => {
            notes.push(format!(
                "state: {} was written by another keytrace version or under other rules or options: full scan",
                file.display()
            ));
            None
        }
        Ok(Some(s)) => Some(s.snapshot),
        Err(e) => {
            notes.push(format!(
                "warning: state {} is ignored ({e:#}): full scan, and the file is rewritten",
                file.display()
            ));
            None
        }
    };
    let (mut out, snapshot) = match prior {
        Some(prior) => incremental(engine, repo_path, &repo, opts, prior)?,
        None => full(engine, repo_path, opts, true)?,
    };
    if crate::progress::interrupted() || !out.errors.is_empty() {
        notes.push(format!(
            "state: {} was not updated: the scan was interrupted or could not read everything",
            file.display()
        ));
    } else if let Some(s) = snapshot {
        let header = Header {
            key,
            all_refs: opts.all_refs,
            object_hash: hash,
            tips: s.tips.iter().map(ObjectId::to_string).collect(),
            blobs: s.blobs.len(),
            hits: Vec::new(),
        };
        if let Err(e) = save(&file, header, &s) {
            out.errors
                .push(ScanError::new(file.display().to_string(), format!("{e:#}")));
        }
    }
    notes.append(&mut out.notes);
    out.notes = notes;
    Ok(out)
}

/// The run after a readable state: only the new commits' blobs are scanned.
fn incremental(
    engine: &Engine,
    repo_path: &Path,
    repo: &gix::Repository,
    opts: &GitOptions,
    prior: Snapshot,
) -> anyhow::Result<(ScanOutput, Option<Snapshot>)> {
    let start = Instant::now();
    let progress = crate::progress::counters();
    let now_tips = tips(repo, opts.all_refs)?;
    let mut broken = BTreeSet::new();
    progress.phase(Phase::ReadingCommits, 0);
    let nodes = commit_graph(repo, opts, None, &mut broken, progress)?;
    if now_tips.is_empty() || !broken.is_empty() {
        // No history to build on, or one that cannot be read whole: the full scan says
        // what is wrong, as it would without a state.
        return full(engine, repo_path, opts, true);
    }
    let order = topological(&nodes);
    let index: gix::hashtable::HashMap<ObjectId, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let mut position = vec![0; nodes.len()];
    for (pos, &ni) in order.iter().enumerate() {
        position[ni] = pos;
    }
    let (old, rewritten) = closure(&nodes, &index, &prior.tips);
    let fresh_commits: Vec<usize> = (0..nodes.len()).filter(|&i| !old[i]).collect();
    let stats = Stats::default();
    let fresh = new_blobs(repo, &nodes, &fresh_commits, &prior.blobs, &stats);
    // Blobs with findings that left the object database (collected after a force-push)
    // are forgotten, so they are scanned again should they ever come back.
    let (kept, gone): (Vec<Hit>, Vec<Hit>) =
        prior.hits.into_iter().partition(|h| repo.has_object(h.id));
    let pass = BlobPass::new(engine, opts, &stats, None, None);
    let mut listed: Vec<ObjectId> = kept.iter().map(|h| h.id).collect();
    listed.extend_from_slice(&fresh);
    progress.phase(Phase::Matching, 0);
    scan_listed(repo, &pass, &listed);
    let hits = pass.hits.into_inner().unwrap_or_else(|p| p.into_inner());

    let gone: gix::hashtable::HashSet<ObjectId> = gone.into_iter().map(|h| h.id).collect();
    let mut blobs = prior.blobs;
    blobs.retain(|b| !gone.contains(b));
    blobs.extend_from_slice(&fresh);
    blobs.sort_unstable();
    blobs.dedup();
    let mut next = Snapshot {
        tips: now_tips,
        blobs,
        hits: hits
            .iter()
            .map(|h| Hit {
                id: h.id,
                places: Vec::new(),
            })
            .collect(),
    };
    let mut notes = vec![format!(
        "incremental: {} new commits, {} new blobs scanned, {} blobs with earlier findings re-read",
        fresh_commits.len(),
        fresh.len(),
        kept.len()
    )];
    let recorded: HashMap<ObjectId, Vec<Place>> =
        kept.into_iter().map(|h| (h.id, h.places)).collect();
    let carried = if rewritten {
        None
    } else {
        carry(&recorded, &hits, &index, &position)
    };
    let findings = match carried {
        _ if hits.is_empty() => Vec::new(),
        None => {
            notes.push("a recorded tip is no longer reachable (force-push or deleted ref): provenance was recomputed from every commit".to_owned());
            let placed = attribute(
                repo,
                hits,
                (None, None),
                opts,
                &stats,
                progress,
                &mut super::Clock::new(),
            )?;
            next.record_places(&placed.nodes, &placed.order, &placed.prov);
            notes.extend(placed.note);
            placed.findings
        }
        Some(mut prov) => {
            progress.phase(Phase::LocatingCommits, fresh_commits.len() as u64);
            extend(
                repo,
                &hits,
                &nodes,
                (&fresh_commits, &position),
                &mut prov,
                &mut broken,
            )?;
            next.record_places(&nodes, &order, &prov);
            place(repo, hits, (&nodes, &order), &prov, broken, opts, &stats)?
        }
    };
    let mut out = ScanOutput::from_stats(stats, findings, start.elapsed());
    out.notes = notes;
    Ok((out, Some(next)))
}

/// The commits the recorded tips reach, and whether a recorded tip is no longer in the
/// history (then those commits are not all still there).
fn closure(
    nodes: &[CommitNode],
    index: &gix::hashtable::HashMap<ObjectId, usize>,
    tips: &[ObjectId],
) -> (Vec<bool>, bool) {
    let mut old = vec![false; nodes.len()];
    let mut rewritten = false;
    let mut stack = Vec::new();
    for t in tips {
        match index.get(t) {
            Some(&i) => stack.push(i),
            None => rewritten = true,
        }
    }
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut old[i], true) {
            continue;
        }
        stack.extend(
            nodes[i]
                .parents
                .iter()
                .filter_map(|p| index.get(p).copied()),
        );
    }
    (old, rewritten)
}

/// The blobs the trees of `commits` hold that were never scanned (each tree read once).
/// A tree that cannot be read is an error in `stats`.
fn new_blobs(
    repo: &gix::Repository,
    nodes: &[CommitNode],
    commits: &[usize],
    known: &[ObjectId],
    stats: &Stats,
) -> Vec<ObjectId> {
    let mut visited: gix::hashtable::HashSet<ObjectId> = Default::default();
    let mut found: gix::hashtable::HashSet<ObjectId> = Default::default();
    let mut stack: Vec<ObjectId> = commits.iter().map(|&i| nodes[i].tree).collect();
    let mut buf = Vec::new();
    while let Some(tree) = stack.pop() {
        if !visited.insert(tree) {
            continue;
        }
        let data = match gix::objs::Find::try_find(&repo.objects, &tree, &mut buf) {
            Ok(Some(d)) => d,
            Ok(None) => {
                stats.error(format!(
                    "tree {tree} is missing (corrupt repository, or a partial or shallow clone)"
                ));
                continue;
            }
            Err(e) => {
                stats.error(format!("cannot read tree {tree}: {e}"));
                continue;
            }
        };
        for e in gix::objs::TreeRefIter::from_bytes(data.data, repo.object_hash()) {
            let e = match e {
                Ok(e) => e,
                Err(e) => {
                    stats.error(format!("cannot decode tree {tree}: {e}"));
                    break;
                }
            };
            match e.mode.kind() {
                EntryKind::Tree => stack.push(e.oid.to_owned()),
                EntryKind::Blob | EntryKind::BlobExecutable => {
                    let id = e.oid.to_owned();
                    if known.binary_search(&id).is_err() {
                        found.insert(id);
                    }
                }
                EntryKind::Link | EntryKind::Commit => {}
            }
        }
    }
    let mut out: Vec<ObjectId> = found.into_iter().collect();
    out.sort_unstable();
    out
}

/// The recorded provenance of the blobs with findings, in this run's commit order. The
/// order of the old commits among themselves is the recorded run's (`topological` breaks
/// ties by id), so their first and last commits stand. None when one is not in the
/// history any more.
fn carry(
    recorded: &HashMap<ObjectId, Vec<Place>>,
    hits: &[BlobHits],
    index: &gix::hashtable::HashMap<ObjectId, usize>,
    position: &[usize],
) -> Option<Prov> {
    let mut prov = Prov::new();
    for (ti, h) in hits.iter().enumerate() {
        for p in recorded.get(&h.id).map_or(&[][..], Vec::as_slice) {
            prov.insert(
                (ti as u32, p.path.clone()),
                PathProvenance {
                    first: position[*index.get(&p.first)?],
                    last: position[*index.get(&p.last)?],
                    commits: p.commits,
                    in_head: false,
                },
            );
        }
    }
    Some(prov)
}

/// Adds the new commits to the carried provenance (each unique tree decoded once) and
/// marks what HEAD holds now.
fn extend(
    repo: &gix::Repository,
    hits: &[BlobHits],
    nodes: &[CommitNode],
    (commits, position): (&[usize], &[usize]),
    prov: &mut Prov,
    broken: &mut BTreeSet<String>,
) -> anyhow::Result<()> {
    let targets = hits
        .iter()
        .enumerate()
        .map(|(i, h)| (h.id, i as u32))
        .collect();
    let mut trees = TreeIndex::new(repo, targets);
    let progress = crate::progress::counters();
    for &ni in commits {
        progress.step();
        match trees.list(nodes[ni].tree) {
            Ok(li) => record(prov, position[ni], &trees.resolved(li)),
            Err(e) => {
                broken.insert(format!("{e:#}"));
            }
        }
    }
    let mut head = repo.head()?;
    if !head.is_unborn() {
        let tree = head.peel_to_commit()?.tree_id()?.detach();
        match trees.list(tree) {
            Ok(li) => mark_head(prov, &trees.resolved(li)),
            Err(e) => {
                broken.insert(format!("{e:#}"));
            }
        }
    }
    Ok(())
}

/// What findings depend on besides the blob: keytrace's version, the rules, the match
/// options, allow lists and read limits. A state written under another key is not used.
fn key(engine: &Engine, opts: &GitOptions) -> String {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    h.update(format!("{MAGIC} {VERSION} {}\0", env!("CARGO_PKG_VERSION")));
    for rule in engine.pack().rules() {
        h.update(serde_json::to_vec(&rule.spec).unwrap_or_default());
        h.update([0]);
    }
    h.update(format!(
        "{:?}\0{:?}\0{:?}\0{}\0{:?}\0",
        engine.options, engine.allow_paths, engine.match_filter, engine.decode_depth, opts.limits
    ));
    for v in &engine.allow_values {
        h.update(v);
        h.update([0]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The JSON line of the state file.
#[derive(Serialize, Deserialize)]
struct Header {
    key: String,
    all_refs: bool,
    object_hash: String,
    tips: Vec<String>,
    blobs: usize,
    hits: Vec<HitRecord>,
}

#[derive(Serialize, Deserialize)]
struct HitRecord {
    blob: String,
    #[serde(default)]
    places: Vec<PlaceRecord>,
}

/// A path is written as text when it is UTF-8, else as its bytes.
#[derive(Serialize, Deserialize)]
struct PlaceRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_bytes: Option<Vec<u8>>,
    first: String,
    last: String,
    commits: u64,
}

/// A state read back.
struct Loaded {
    key: String,
    all_refs: bool,
    object_hash: String,
    snapshot: Snapshot,
}

/// Writes the state: a temporary file beside it, flushed to disk, then renamed over it.
fn save(file: &Path, mut header: Header, s: &Snapshot) -> anyhow::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the state folder {}", dir.display()))?;
    let mut hits: Vec<&Hit> = s.hits.iter().collect();
    hits.sort_by_key(|h| h.id);
    header.hits = hits
        .into_iter()
        .map(|h| HitRecord {
            blob: h.id.to_string(),
            places: h
                .places
                .iter()
                .map(|p| {
                    let text = p.path.to_str().ok().map(str::to_owned);
                    PlaceRecord {
                        path_bytes: text.is_none().then(|| p.path.to_vec()),
                        path: text,
                        first: p.first.to_string(),
                        last: p.last.to_string(),
                        commits: p.commits,
                    }
                })
                .collect(),
        })
        .collect();
    let tmp = file.with_extension(format!("state.tmp-{}", std::process::id()));
    let write = || -> anyhow::Result<()> {
        let f = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(f);
        writeln!(w, "{MAGIC} {VERSION}")?;
        serde_json::to_writer(&mut w, &header)?;
        w.write_all(b"\n")?;
        for b in &s.blobs {
            w.write_all(b.as_bytes())?;
        }
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)?;
        Ok(())
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow!("cannot write the state file {}: {e:#}", file.display())
    })
}

/// Reads the state; Ok(None) when there is none yet.
fn load(file: &Path) -> anyhow::Result<Option<Loaded>> {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(anyhow!("cannot read it: {e}")),
    };
    let (first, rest) = split_line(&bytes).ok_or_else(|| anyhow!("line 1: no format line"))?;
    let version = first
        .to_str()
        .ok()
        .and_then(|l| l.strip_prefix(MAGIC))
        .and_then(|v| v.trim().parse::<u32>().ok())
        .ok_or_else(|| anyhow!("line 1: not a keytrace history state (`{MAGIC} N` expected)"))?;
    if version != VERSION {
        bail!("line 1: format version {version}; this keytrace reads version {VERSION}");
    }
    let (json, ids) = split_line(rest).ok_or_else(|| anyhow!("line 2: truncated"))?;
    let header: Header =
        serde_json::from_slice(json).map_err(|e| anyhow!("line 2, column {}: {e}", e.column()))?;
    let snapshot = parse(&header, ids)?;
    Ok(Some(Loaded {
        key: header.key,
        all_refs: header.all_refs,
        object_hash: header.object_hash,
        snapshot,
    }))
}

/// The line up to the first newline, and what follows it.
fn split_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let n = bytes.iter().position(|&b| b == b'\n')?;
    Some((&bytes[..n], &bytes[n + 1..]))
}

/// The snapshot of a parsed header and the raw blob ids after it.
fn parse(header: &Header, ids: &[u8]) -> anyhow::Result<Snapshot> {
    let oid = |s: &str, field: &str| {
        ObjectId::from_hex(s.as_bytes()).map_err(|e| anyhow!("line 2, field {field}: `{s}`: {e}"))
    };
    let width = ids.len().checked_div(header.blobs).unwrap_or(20);
    if !(width == 20 || width == 32) || ids.len() != width * header.blobs {
        bail!(
            "after line 2: {} bytes of blob ids for {} blobs (truncated?)",
            ids.len(),
            header.blobs
        );
    }
    let mut blobs = Vec::with_capacity(header.blobs);
    for chunk in ids.chunks(width) {
        let id = gix::oid::try_from_bytes(chunk)
            .map_err(|e| anyhow!("after line 2: a blob id: {e}"))?
            .to_owned();
        if blobs.last().is_some_and(|l: &ObjectId| *l >= id) {
            bail!("after line 2: the blob ids are not sorted (the file was altered)");
        }
        blobs.push(id);
    }
    let tips = header
        .tips
        .iter()
        .map(|t| oid(t, "tips"))
        .collect::<anyhow::Result<_>>()?;
    let mut hits = Vec::with_capacity(header.hits.len());
    for h in &header.hits {
        let mut places = Vec::with_capacity(h.places.len());
        for p in &h.places {
            let path = match (&p.path, &p.path_bytes) {
                (Some(t), _) => BString::from(t.as_str()),
                (None, Some(b)) => BString::from(b.clone()),
                (None, None) => bail!("line 2, field hits.places.path: missing"),
            };
            places.push(Place {
                path,
                first: oid(&p.first, "hits.places.first")?,
                last: oid(&p.last, "hits.places.last")?,
                commits: p.commits,
            });
        }
        hits.push(Hit {
            id: oid(&h.blob, "hits.blob")?,
            places,
        });
    }
    Ok(Snapshot { tips, blobs, hits })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    fn node(n: u8, parents: &[u8]) -> CommitNode {
        CommitNode {
            id: id(n),
            tree: id(200),
            parents: parents.iter().map(|&p| id(p)).collect(),
            time: 0,
        }
    }

    #[test]
    fn the_state_reads_back_as_written_and_damage_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub").join(FILE_NAME);
        let s = Snapshot {
            tips: vec![id(9)],
            blobs: vec![id(1), id(2), id(3)],
            hits: vec![Hit {
                id: id(2),
                places: vec![
                    Place {
                        path: BString::from("a/b.env"),
                        first: id(7),
                        last: id(9),
                        commits: 3,
                    },
                    Place {
                        path: BString::from(&b"bad\xffname"[..]),
                        first: id(8),
                        last: id(8),
                        commits: 1,
                    },
                ],
            }],
        };
        let header = Header {
            key: "k".into(),
            all_refs: true,
            object_hash: "Sha1".into(),
            tips: vec![id(9).to_string()],
            blobs: 3,
            hits: Vec::new(),
        };
        save(&file, header, &s).unwrap();
        let back = load(&file).unwrap().unwrap();
        assert_eq!((back.key.as_str(), back.all_refs), ("k", true));
        assert_eq!(back.snapshot.blobs, s.blobs);
        assert_eq!(back.snapshot.tips, s.tips);
        let places = &back.snapshot.hits[0].places;
        assert_eq!(places[1].path, BString::from(&b"bad\xffname"[..]));
        assert_eq!(
            (places[0].first, places[0].last, places[0].commits),
            (id(7), id(9), 3)
        );

        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 5]).unwrap();
        let e = format!("{:#}", load(&file).err().unwrap());
        assert!(e.contains("truncated"), "{e}");
        std::fs::write(&file, b"keytrace-history-state 2\n{}\n").unwrap();
        let e = format!("{:#}", load(&file).err().unwrap());
        assert!(e.contains("version 2"), "{e}");
        std::fs::write(&file, b"keytrace-history-state 1\n{\"key\":\n").unwrap();
        let e = format!("{:#}", load(&file).err().unwrap());
        assert!(e.starts_with("line 2"), "{e}");
        assert!(load(&dir.path().join("none")).unwrap().is_none());
    }

    #[test]
    fn the_closure_of_the_recorded_tips_is_the_old_history() {
        // 1 <- 2 <- 3 (old tip), 2 <- 4 (new); a recorded tip 9 that is gone.
        let nodes = vec![node(3, &[2]), node(4, &[2]), node(2, &[1]), node(1, &[])];
        let index = nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
        let (old, rewritten) = closure(&nodes, &index, &[id(3)]);
        assert_eq!(old, vec![true, false, true, true]);
        assert!(!rewritten);
        let (old, rewritten) = closure(&nodes, &index, &[id(4), id(9)]);
        assert_eq!(old, vec![false, true, true, true]);
        assert!(rewritten);
    }
}
