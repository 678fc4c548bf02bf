//! Standard output for every command. A reader that stops early (`leadbook … | head`) closes
//! the pipe; that ends the command quietly instead of panicking in `println!`. Everything a
//! command writes to the store is committed before it prints, so stopping here loses nothing.

use std::io::{ErrorKind, Write};

/// Prints a line to standard output (the CLI's `println!`).
macro_rules! outln {
    () => { $crate::output::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::write(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Prints to standard output without a newline (the CLI's `print!`).
#[allow(unused_macros)]
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write(format_args!($($arg)*)) };
}

pub fn write(args: std::fmt::Arguments) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|_| stdout.flush()) {
        gone(e);
    }
}

/// Standard output failed: a closed pipe ends the program with success (the reader has all it
/// wanted); anything else is reported on stderr.
pub fn gone(e: std::io::Error) -> ! {
    if e.kind() == ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: cannot write to standard output: {e} [io]");
    std::process::exit(1);
}
