//! Runs one command with a deadline, capturing its output.
//!
//! Output is drained by reader threads while the child runs, so a chatty child cannot block on
//! a full pipe; each stream keeps at most [`OUTPUT_CAP`] bytes so a runaway child cannot
//! exhaust memory.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Bytes kept per stream; anything beyond is read and dropped.
pub const OUTPUT_CAP: usize = 16 << 20;

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The process exited with this code.
    Exited(i32),
    /// The process was ended by a signal it did not get from us (a crash such as a stack
    /// overflow abort).
    Signaled,
    /// The deadline passed and we killed it.
    TimedOut,
    /// The process ran out of the memory it was allowed (Rust's allocation-failure abort).
    OutOfMemory,
    /// The process could not be started.
    SpawnFailed(String),
}

/// The result of [`run`].
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub elapsed: Duration,
}

impl Outcome {
    /// The exit code, when the process exited normally.
    pub fn code(&self) -> Option<i32> {
        match self.status {
            Status::Exited(code) => Some(code),
            _ => None,
        }
    }

    /// A Rust panic (exit code 101 or the panic message) or another crash.
    pub fn crashed(&self) -> bool {
        matches!(self.status, Status::Signaled | Status::Exited(101))
            || contains(&self.stderr, b"panicked at")
    }

    /// A runaway: killed at the deadline or out of its memory allowance.
    pub fn runaway(&self) -> bool {
        matches!(self.status, Status::TimedOut | Status::OutOfMemory)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn drain(mut source: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        loop {
            match source.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = OUTPUT_CAP.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
            }
        }
        kept
    })
}

/// Waits for `child` until `deadline`, polling with a short, growing interval (most runs
/// finish in milliseconds, so a long first sleep would dominate the corpus run time).
fn wait_until(child: &mut Child, deadline: Instant) -> Status {
    let mut pause = Duration::from_micros(200);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                return match status.code() {
                    Some(code) => Status::Exited(code),
                    None => Status::Signaled,
                }
            }
            Ok(None) => {}
            Err(e) => return Status::SpawnFailed(format!("waiting failed: {e}")),
        }
        let now = Instant::now();
        if now >= deadline {
            // Kill errors only mean the child already exited; the wait below reaps it.
            let _ = child.kill();
            let _ = child.wait();
            return Status::TimedOut;
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(10));
    }
}

/// Limits for one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time before the process is killed.
    pub timeout: Duration,
    /// Address-space limit in KiB (`ulimit -v`), so that a runaway evaluation fails
    /// instead of exhausting the machine's memory; `None` for no limit.
    pub memory_kib: Option<u64>,
}

/// The command for `program args...`, wrapped in `/bin/sh` when a memory limit must be set
/// (setting an rlimit in-process would need `unsafe` pre-exec code, which the project forbids).
fn command(program: &Path, args: &[String], memory_kib: Option<u64>) -> Command {
    match memory_kib {
        None => {
            let mut c = Command::new(program);
            c.args(args);
            c
        }
        Some(kib) => {
            let mut c = Command::new("/bin/sh");
            c.arg("-c")
                // If the limit cannot be set (a lower hard limit), run unlimited rather than
                // fail every check with the shell's exit status.
                .arg("ulimit -v \"$0\" 2>/dev/null; exec \"$@\"")
                .arg(kib.to_string())
                .arg(program)
                .args(args);
            c
        }
    }
}

/// Runs `program args...` in `dir` with no stdin, within `limits`.
pub fn run(program: &Path, args: &[String], dir: &Path, limits: Limits) -> Outcome {
    let start = Instant::now();
    let timeout = limits.timeout;
    let spawned = command(program, args, limits.memory_kib)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            return Outcome {
                status: Status::SpawnFailed(e.to_string()),
                stdout: Vec::new(),
                stderr: Vec::new(),
                elapsed: start.elapsed(),
            }
        }
    };
    let out = child.stdout.take().map(drain);
    let err = child.stderr.take().map(drain);
    let mut status = wait_until(&mut child, start + timeout);
    // A reader thread only ends with its pipe; a panic there would be a bug in `drain`,
    // which does not panic, so an empty capture is a safe fallback.
    let collect =
        |h: Option<thread::JoinHandle<Vec<u8>>>| h.and_then(|h| h.join().ok()).unwrap_or_default();
    let stderr = collect(err);
    // Rust reports a failed allocation this way and then aborts.
    if status == Status::Signaled && contains(&stderr, b"memory allocation of ") {
        status = Status::OutOfMemory;
    }
    Outcome {
        status,
        stdout: collect(out),
        stderr,
        elapsed: start.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, timeout: Duration) -> Outcome {
        let limits = Limits {
            timeout,
            memory_kib: None,
        };
        run(
            Path::new("/bin/sh"),
            &["-c".to_owned(), script.to_owned()],
            Path::new("."),
            limits,
        )
    }

    #[test]
    fn memory_limit_applies_to_the_program() {
        let limits = Limits {
            timeout: Duration::from_secs(10),
            memory_kib: Some(123_456),
        };
        let args = [
            "-c".to_owned(),
            "ulimit -v; printf '%s' \"$0\"".to_owned(),
            "a b".to_owned(),
        ];
        let o = run(Path::new("/bin/sh"), &args, Path::new("."), limits);
        assert_eq!(o.status, Status::Exited(0));
        assert_eq!(o.stdout, b"123456\na b");
    }

    #[test]
    fn allocation_failure_is_out_of_memory() {
        let o = sh(
            "echo 'memory allocation of 1024 bytes failed' >&2; kill -ABRT $$",
            Duration::from_secs(10),
        );
        assert_eq!(o.status, Status::OutOfMemory);
        assert!(o.runaway());
        assert!(!o.crashed());
    }

    #[test]
    fn captures_both_streams_and_code() {
        let o = sh(
            "printf out; printf err >&2; exit 3",
            Duration::from_secs(10),
        );
        assert_eq!(o.status, Status::Exited(3));
        assert_eq!(o.stdout, b"out");
        assert_eq!(o.stderr, b"err");
        assert!(!o.crashed());
    }

    #[test]
    fn kills_on_timeout() {
        let o = sh("exec sleep 30", Duration::from_millis(200));
        assert_eq!(o.status, Status::TimedOut);
        assert!(o.elapsed < Duration::from_secs(5));
    }

    #[test]
    fn detects_panics_and_signals() {
        assert!(sh("exit 101", Duration::from_secs(10)).crashed());
        assert!(sh(
            "echo 'thread main panicked at src/x.rs' >&2; exit 1",
            Duration::from_secs(10)
        )
        .crashed());
        let o = sh("kill -SEGV $$", Duration::from_secs(10));
        assert_eq!(o.status, Status::Signaled);
        assert!(o.crashed());
    }

    #[test]
    fn large_output_does_not_block() {
        let o = sh("head -c 300000 /dev/zero", Duration::from_secs(10));
        assert_eq!(o.status, Status::Exited(0));
        assert_eq!(o.stdout.len(), 300_000);
    }

    #[test]
    fn missing_program_is_reported() {
        let o = run(
            Path::new("/nonexistent/ferrocue"),
            &[],
            Path::new("."),
            Limits {
                timeout: Duration::from_secs(1),
                memory_kib: None,
            },
        );
        assert!(matches!(o.status, Status::SpawnFailed(_)));
    }
}
