//! A progress bar on standard error (indicatif) for work that lasts: it appears only after
//! [`DELAY`], so a run of a second never flickers, and never when standard error is not a
//! terminal (CI logs, pipes) or the user asked for `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How long work runs before its bar is shown.
pub const DELAY: Duration = Duration::from_secs(2);

/// Where a run is, shared by the threads that advance it (the bar is `Sync`).
pub struct Progress {
    bar: ProgressBar,
    /// Dropped when the work ends, which tells the waiting thread not to show the bar.
    stop: Option<mpsc::Sender<()>>,
    waiter: Option<JoinHandle<()>>,
}

impl Progress {
    /// A progress that draws nothing.
    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
            stop: None,
            waiter: None,
        }
    }

    /// The bar of a command: on standard error after [`DELAY`], or hidden when `quiet` or
    /// when standard error is not a terminal.
    pub fn on_stderr(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        Progress::after(DELAY, ProgressDrawTarget::stderr())
    }

    /// A bar drawn to `target` once `delay` has passed, unless the work ended before.
    pub fn after(delay: Duration, target: ProgressDrawTarget) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        let waiter = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(delay) {
                shown.set_draw_target(target);
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress {
            bar,
            stop: Some(stop),
            waiter: Some(waiter),
        }
    }

    /// Start a stage: `len` units counted with [`Progress::inc`], or a spinner when the
    /// stage has no count.
    pub fn stage(&self, message: &str, len: Option<u64>) {
        let style = match len {
            Some(_) => {
                ProgressStyle::with_template("{spinner} {msg} {pos}/{len} [{bar:30}] {elapsed}")
                    .map(|s| s.progress_chars("=> "))
            }
            None => ProgressStyle::with_template("{spinner} {msg} {elapsed}"),
        };
        if let Ok(style) = style {
            self.bar.set_style(style);
        }
        match len {
            Some(n) => self.bar.set_length(n),
            None => self.bar.unset_length(),
        }
        self.bar.set_position(0);
        self.bar.set_message(message.to_string());
    }

    /// One unit of the current stage done.
    pub fn inc(&self) {
        self.bar.inc(1);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // Disconnecting the channel wakes the waiting thread before its delay ends.
        drop(self.stop.take());
        if let Some(w) = self.waiter.take() {
            let _ = w.join();
        }
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::{InMemoryTerm, TermLike};

    fn term() -> InMemoryTerm {
        InMemoryTerm::new(4, 100)
    }

    #[test]
    fn quiet_draws_nothing() {
        assert!(Progress::on_stderr(true).bar.is_hidden());
    }

    #[test]
    fn a_long_stage_is_shown_with_its_count() {
        let t = term();
        let p = Progress::after(
            Duration::from_millis(10),
            ProgressDrawTarget::term_like(Box::new(t.clone())),
        );
        p.stage("reading", Some(3));
        p.inc();
        p.inc();
        std::thread::sleep(Duration::from_millis(400));
        let shown = t.contents();
        assert!(shown.contains("reading 2/3"), "{shown:?}");
        drop(p);
        assert_eq!(
            t.contents().trim(),
            "",
            "the bar is cleared when the work ends"
        );
    }

    #[test]
    fn work_shorter_than_the_delay_never_draws() {
        let t = term();
        let p = Progress::after(
            Duration::from_secs(60),
            ProgressDrawTarget::term_like(Box::new(t.clone())),
        );
        p.stage("reading", Some(1));
        p.inc();
        drop(p);
        assert_eq!(t.contents(), "");
        assert_eq!(t.width(), 100);
    }
}
