//! The few places the app touches browser APIs directly: files, downloads, settings kept
//! in localStorage, mail kept in IndexedDB, fetching the app's own samples, time, yielding.

pub mod charset;
pub mod download;
pub mod fetch;
pub mod files;
pub mod mail_cache;
pub mod online;
pub mod raster;
pub mod settings;
pub mod store;
pub mod time;
pub mod warm;
