//! Sources of bytes to scan: the working tree, standard input, and (through gix) the
//! index, commit ranges and full history. Each source feeds buffers to
//! [`crate::engine::Engine::scan_blob`] with a path and, for git changes, the added lines;
//! files and stdin go through [`chunked`], which reads a stream of any size in bounded
//! memory.

pub mod chunked;
pub mod git;
pub mod stdin;
pub mod worktree;
