//! Sources of bytes to scan: the working tree, standard input, and (through gix) the
//! index, commit ranges and full history. Each source feeds buffers to
//! [`crate::engine::Engine::scan_blob`] with a path and, for git changes, the added lines;
//! files and stdin go through [`chunked`], which reads a stream of any size in bounded
//! memory.

pub mod chunked;
pub mod git;
pub mod stdin;
pub mod worktree;

/// How inputs are read, the same for every source: the size limit, the chunk size of
/// streamed reads, and whether binary-looking content is scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Inputs larger than this are skipped and counted (`u64::MAX`: no limit).
    pub max_file_size: u64,
    /// Files and standard input are read in chunks of this many bytes (at least
    /// [`chunked::MIN_CHUNK_SIZE`]; smaller values are raised to it).
    pub chunk_size: usize,
    /// Scan inputs that look binary (a NUL in the first 8 KiB) instead of skipping them.
    pub scan_binaries: bool,
}
