//! State shared by a page's components.

pub mod inspector;
