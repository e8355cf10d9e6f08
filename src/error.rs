//! Library errors. Every error that comes from a user's file names the file and,
//! where it can, the row and the column, and may end with a `hint:` line.

use std::path::PathBuf;

/// Result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input cannot be used at all (missing column, unreadable file …): exit 2.
    #[error("{file}: {message}")]
    Input { file: PathBuf, message: String },

    /// A user setting or argument is wrong: exit 2.
    #[error("{0}")]
    Usage(String),

    /// Reading an input or setting file failed: exit 2.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Writing an output failed (disk full, no permission …): exit 1.
    #[error("{path}: cannot write: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Polars failed on a computation pingjia set up: an internal failure (exit 3).
    #[error("{context}: {source}")]
    Polars {
        context: String,
        #[source]
        source: polars::error::PolarsError,
    },
}

impl Error {
    pub fn input(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Input {
            file: file.into(),
            message: message.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn output(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Output {
            path: path.into(),
            source,
        }
    }

    /// Exit code for this error: 2 for bad input or usage, 1 when an output cannot be
    /// written, 3 for an internal failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } | Error::Usage(_) | Error::Io { .. } => 2,
            Error::Output { .. } => 1,
            Error::Polars { .. } => 3,
        }
    }
}

/// Attaches context to Polars errors.
pub trait PolarsContext<T> {
    fn context(self, context: impl Into<String>) -> Result<T>;
}

impl<T> PolarsContext<T> for polars::prelude::PolarsResult<T> {
    fn context(self, context: impl Into<String>) -> Result<T> {
        self.map_err(|source| Error::Polars {
            context: context.into(),
            source,
        })
    }
}
