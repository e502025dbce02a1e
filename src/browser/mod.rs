//! The few places the app touches browser APIs directly: files, downloads, time, yielding.

pub mod download;
pub mod files;
pub mod time;
