//! The server under test as a child process: started without a shell in a
//! process group of its own, measured through /proc, and stopped with
//! SIGTERM then SIGKILL. A server still running when its handle is dropped
//! is killed, so no run leaves one behind.

use std::fs;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// How often to check whether a stopping server has exited.
const EXIT_POLL: Duration = Duration::from_millis(10);

/// A running server started by this tool.
pub struct ServerProcess {
    child: Child,
    /// When `spawn` was called, just before the process was created.
    pub spawned_at: Instant,
    running: bool,
}

impl ServerProcess {
    /// Starts `command_line` (split like a shell would, without one).
    pub fn spawn(command_line: &str, show_output: bool) -> anyhow::Result<Self> {
        let words = split_command_line(command_line)?;
        let Some((program, arguments)) = words.split_first() else {
            bail!("the server command is empty");
        };
        let output = || if show_output { Stdio::inherit() } else { Stdio::null() };
        let mut command = Command::new(program);
        command.args(arguments).stdin(Stdio::null()).stdout(output()).stderr(output());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let spawned_at = Instant::now();
        let child = command.spawn().with_context(|| format!("starting {command_line:?}"))?;
        Ok(Self { child, spawned_at, running: true })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status if the server has already stopped by itself.
    pub fn exit_status(&mut self) -> anyhow::Result<Option<ExitStatus>> {
        let status = self.child.try_wait()?;
        if status.is_some() {
            self.running = false;
        }
        Ok(status)
    }

    /// Resident memory of the server and its descendants, in KiB.
    pub fn resident_kib(&self) -> anyhow::Result<u64> {
        process_tree(self.pid()).iter().map(|&pid| resident_kib_of(pid)).sum()
    }

    /// CPU time (user + system) used so far by the server's main process.
    pub fn cpu_time(&self) -> anyhow::Result<Duration> {
        cpu_time_of(self.pid())
    }

    /// Asks the server to stop (SIGTERM to its group), waits up to `grace`,
    /// then kills it. Returns whether it stopped on its own.
    pub fn stop(&mut self, grace: Duration) -> anyhow::Result<bool> {
        if !self.running {
            return Ok(true);
        }
        self.signal_group(libc::SIGTERM);
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if self.exit_status()?.is_some() {
                return Ok(true);
            }
            std::thread::sleep(EXIT_POLL);
        }
        self.kill();
        Ok(false)
    }

    fn kill(&mut self) {
        self.signal_group(libc::SIGKILL);
        let _ = self.child.wait();
        self.running = false;
    }

    fn signal_group(&self, signal: libc::c_int) {
        let Ok(group) = libc::pid_t::try_from(self.pid()) else { return };
        // SAFETY: kill(2) only sends a signal; the group is the one this
        // tool created for the server (process_group(0) at spawn).
        unsafe {
            libc::kill(-group, signal);
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if self.running && matches!(self.child.try_wait(), Ok(None)) {
            self.kill();
        }
    }
}

/// Splits a command line into words: blanks separate words, single quotes
/// keep text as it is, double quotes keep it but allow `\"` and `\\`.
pub fn split_command_line(text: &str) -> anyhow::Result<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        match character {
            ' ' | '\t' | '\n' => words.extend(word.take()),
            '\'' => word.get_or_insert_default().push_str(&take_until(&mut characters, '\'', false)?),
            '"' => word.get_or_insert_default().push_str(&take_until(&mut characters, '"', true)?),
            '\\' => word.get_or_insert_default().extend(characters.next()),
            other => word.get_or_insert_default().push(other),
        }
    }
    words.extend(word);
    Ok(words)
}

/// The text up to the closing `quote`, consumed.
fn take_until(characters: &mut std::str::Chars<'_>, quote: char, escapes: bool) -> anyhow::Result<String> {
    let mut text = String::new();
    while let Some(character) = characters.next() {
        match character {
            c if c == quote => return Ok(text),
            '\\' if escapes => text.extend(characters.next()),
            other => text.push(other),
        }
    }
    bail!("unclosed {quote} quote in the server command")
}

/// `pid` and all its descendants (as far as /proc tells).
fn process_tree(pid: u32) -> Vec<u32> {
    let mut tree = vec![pid];
    let mut next = 0;
    while next < tree.len() {
        let children = fs::read_to_string(format!("/proc/{0}/task/{0}/children", tree[next])).unwrap_or_default();
        tree.extend(children.split_whitespace().filter_map(|child| child.parse::<u32>().ok()));
        next += 1;
    }
    tree
}

pub fn resident_kib_of(pid: u32) -> anyhow::Result<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).with_context(|| format!("reading process {pid}"))?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"));
    let Some(line) = line else { return Ok(0) }; // a zombie has no memory left
    let kib = line.split_whitespace().nth(1).context("VmRSS without a number")?;
    Ok(kib.parse()?)
}

fn cpu_time_of(pid: u32) -> anyhow::Result<Duration> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).with_context(|| format!("reading process {pid}"))?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the line, the 12th and 13th after the name.
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).context("malformed /proc stat")?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 =
        fields.get(11).context("no utime")?.parse::<u64>()? + fields.get(12).context("no stime")?.parse::<u64>()?;
    // SAFETY: sysconf only reads a system constant.
    let ticks_per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let ticks_per_second = u64::try_from(ticks_per_second).ok().filter(|&t| t > 0).unwrap_or(100);
    Ok(Duration::from_secs_f64(ticks as f64 / ticks_per_second as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_and_quotes() {
        let words = split_command_line(r#"python3 -m 'moto.server' -p "45 67" a\ b"#).unwrap();
        assert_eq!(words, ["python3", "-m", "moto.server", "-p", "45 67", "a b"]);
    }

    #[test]
    fn refuses_an_unclosed_quote() {
        assert!(split_command_line("echo 'oops").is_err());
    }

    #[test]
    fn measures_and_stops_a_child() {
        let mut process = ServerProcess::spawn("sleep 30", false).unwrap();
        assert!(process.resident_kib().unwrap() > 0);
        assert!(process.cpu_time().is_ok());
        assert!(process.stop(Duration::from_secs(5)).unwrap());
        assert!(process.exit_status().unwrap().is_some());
    }
}
