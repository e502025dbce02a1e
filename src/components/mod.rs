//! Components render what they are given: props in, callbacks out.

pub mod account_fields;
pub mod address_list;
pub mod alerts;
pub mod attachment_list;
pub mod auth_table;
pub mod body_view;
pub mod bounce_panel;
pub mod compare_view;
pub mod defect_list;
pub mod hop_timeline;
pub mod icons;
pub mod live_check;
pub mod live_frame;
pub mod mime_tree;
pub mod opened_files;
pub mod progress_bar;
pub mod raw_source;
pub mod reply_explained;
pub mod second_click;
pub mod summary;
pub mod transcript_panel;
