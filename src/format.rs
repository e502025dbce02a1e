//! Numbers and durations as people read them.

/// `1.37 MB`, `912 B`: decimal units, as file managers show them.
pub fn bytes(n: usize) -> String {
    let n = n as f64;
    if n < 1000.0 {
        format!("{n} B")
    } else if n < 1_000_000.0 {
        format!("{:.1} KB", n / 1000.0)
    } else {
        format!("{:.2} MB", n / 1_000_000.0)
    }
}

/// `2 h 5 min`, `45 s`, `-3 min 2 s`.
pub fn duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let text = if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min {} s", s / 60, s % 60)
    } else if s < 86_400 {
        format!("{} h {} min", s / 3600, s % 3600 / 60)
    } else {
        format!("{} d {} h", s / 86_400, s % 86_400 / 3600)
    };
    format!("{sign}{text}")
}

pub fn percent(p: f64) -> String {
    if p >= 0.0 {
        format!("+{p:.0} %")
    } else {
        format!("{p:.0} %")
    }
}

/// `1 hop`, `3 hops`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
